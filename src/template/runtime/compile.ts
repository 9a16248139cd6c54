import type { Filter, PluginEnv, Test } from '../registry.js';
import { PyDict, PyTuple, PyUndefined, type PyObject, type PyUnsafe, type PyValue } from '../values.js';
import {
  JinjaUndefined,
  PyCallable,
  PyDictView,
  PyError,
  PyUndefinedError,
  dictSet,
  isStr,
  strValue,
  isLenient,
  protocol,
  pyAdd,
  pyCompareOp,
  pyEquals,
  pyFloorDiv,
  pyIterable,
  pyMod,
  pyMul,
  pyNeg,
  pyPos,
  pyPow,
  pyStr,
  pySub,
  pyTrueDiv,
  pyTruthy,
  pyTypeName,
  strRepr,
  typeError,
  undefinedError,
  valueError,
} from '../python/index.js';
import type { CallArgsNode, Expr, FilterNode, OutputItem, Pos, Stmt, Target, TemplateAst } from '../syntax/ast.js';
import { couldNotLoad, TemplateSyntaxError } from '../syntax/errors.js';
import { PySlice, getAttr, getItem, pyContains } from './access.js';
import { NativeText } from './concat.js';
import { LoopContext, Macro, Namespace, PyRange, TemplateModule } from './objects.js';
import { Scope, type BlockRenderer, type NameResolver, type TemplateRun } from './scope.js';

/**
 * Compiles a template's AST to JavaScript closures once, so rendering is a walk over
 * prepared functions (Jinja2 compiles to Python source for the same reason).
 */

/** What a render needs from the Templar running it. */
export interface RenderContext {
  /** `eval`: ansible_eval_concat (Templar.template); `text`: ansible_concat (template module). */
  readonly concat: (parts: PyValue[]) => PyValue;
  /** Set once the render has touched an `!unsafe` value (AnsibleContext.unsafe). */
  unsafe: boolean;
  /**
   * The last result of a string-type filter or of a lookup that gave NativeJinjaText, to
   * mark a lone output node as NativeJinjaText.
   */
  nativeMarker: string | PyUnsafe | undefined;
  /** Variables and globals the root scope falls back to. */
  resolve(name: string): PyValue | undefined;
  /** Globals only, for templates imported or included without context. */
  readonly globalsOnly: NameResolver;
  readonly pluginEnv: PluginEnv;
  /** Loads `{% include %}`/`{% import %}`/`{% extends %}` targets. */
  loadTemplate(name: PyValue): CompiledTemplate | undefined;
}

export interface PluginTables {
  filters: Record<string, Filter>;
  tests: Record<string, Test>;
}

/** The file a template was loaded from (for errors inside included and imported templates). */
export interface TemplateOrigin {
  file: string;
  source: string;
}

export interface CompiledTemplate {
  readonly name: string | undefined;
  readonly origin: TemplateOrigin | undefined;
  /** Renders the template's top level into `out` in `scope` (a scope with a fresh TemplateRun). */
  render(scope: Scope, ctx: RenderContext, out: PyValue[]): void;
}

type ExprFn = (s: Scope, c: RenderContext) => PyValue;
type StmtFn = (s: Scope, c: RenderContext, out: PyValue[]) => void;

/** Filters whose text output Ansible never turns back into data (C.STRING_TYPE_FILTERS). */
const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);

/** Where an error happened: a position in the template text, and the file when it was loaded from one. */
export interface ErrorPosition extends Pos {
  origin?: TemplateOrigin;
}

const errorPositions = new WeakMap<object, ErrorPosition>();

export function errorPosition(e: unknown): ErrorPosition | undefined {
  return typeof e === 'object' && e !== null ? errorPositions.get(e) : undefined;
}

/**
 * Records the innermost template position of an error (an undefined value's own, if known:
 * where the missing name was written rather than where it was used).
 */
function locate(e: unknown, at: Pos, origin: TemplateOrigin | undefined): unknown {
  if (typeof e === 'object' && e !== null && !errorPositions.has(e)) {
    const u = e instanceof PyUndefinedError ? e.undefinedValue : undefined;
    if (u instanceof JinjaUndefined && u.line !== undefined) errorPositions.set(e, { line: u.line, col: u.col ?? 1, origin: u.origin });
    else errorPositions.set(e, { line: at.line, col: at.col, origin });
  }
  return e;
}

/** Ansible's _fail_on_undefined: an undefined value anywhere in the result fails the render. */
function failOnUndefined(v: PyValue): void {
  if (v instanceof PyUndefined) {
    if (!isLenient(v)) throw undefinedError(v);
  } else if (Array.isArray(v)) v.forEach(failOnUndefined);
  else if (v instanceof PyTuple) v.items.forEach(failOnUndefined);
  else if (v instanceof PyDict) for (const x of v.values()) failOnUndefined(x);
}

/** Ansible's _ansible_finalize: unroll iterators, fail on undefined, None prints as ''. */
export function finalize(v: PyValue): PyValue {
  if (v === null) return '';
  if (typeof v !== 'object') return v;
  if (v instanceof PyDictView || v instanceof PyRange) return pyIterable(v);
  failOnUndefined(v);
  return v;
}

/**
 * Jinja2's UndeclaredNameVisitor: which of `caller`, `varargs` and `kwargs` a macro body
 * reads before assigning them (blocks are not looked into unless asked).
 */
function referencedNames(body: Stmt[], wanted: Set<string>, intoBlocks = false): Set<string> {
  const names = new Set(wanted);
  const found = new Set<string>();
  const visit = (node: unknown, store: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, store);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as { kind?: string; name?: string };
    if (n.kind === 'block' && !intoBlocks) return;
    if (n.kind === 'name' && n.name !== undefined) {
      if (!store && names.has(n.name)) found.add(n.name);
      else names.delete(n.name);
    }
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'value') visit(value, key === 'target' || key === 'targets' || (store && key === 'items'));
    }
  };
  visit(body, false);
  return found;
}

/** Python's `"".join(parts)`, which is what `super()` and `self.block()` use in Jinja2's native mode. */
function strictJoin(parts: PyValue[]): string {
  let out = '';
  parts.forEach((p, i) => {
    if (!isStr(p) && !(p instanceof NativeText)) throw typeError(`sequence item ${i}: expected str instance, ${pyTypeName(p)} found`);
    out += isStr(p) ? strValue(p) : p.text;
  });
  return out;
}

export function compileTemplate(ast: TemplateAst, plugins: PluginTables, name?: string, origin?: TemplateOrigin): CompiledTemplate {
  return new Compiler(plugins, name, origin).template(ast);
}

class Compiler {
  private readonly blocks = new Map<string, BlockRenderer>();

  constructor(
    private readonly plugins: PluginTables,
    private readonly name: string | undefined,
    private readonly origin: TemplateOrigin | undefined,
  ) {}

  private locate(e: unknown, at: Pos): unknown {
    return locate(e, at, this.origin);
  }

  private located(at: Pos, fn: ExprFn): ExprFn {
    const origin = this.origin;
    return (s, c) => {
      try {
        return fn(s, c);
      } catch (e) {
        throw locate(e, at, origin);
      }
    };
  }

  template(ast: TemplateAst): CompiledTemplate {
    const body = ast.body.map((s) => this.stmt(s));
    const blocks = this.blocks;
    const { name, origin } = this;
    const usesSelf = referencedNames(ast.body, new Set(['self']), true).size > 0;
    const render = (scope: Scope, ctx: RenderContext, out: PyValue[]): void => {
      const run = scope.run;
      if (usesSelf) scope.vars.set('self', new TemplateReference(run, ctx));
      for (const [blockName, block] of blocks) {
        const stack = run.blocks.get(blockName);
        if (stack) stack.push(block);
        else run.blocks.set(blockName, [block]);
      }
      let sink = out;
      for (const stmt of body) {
        stmt(scope, ctx, sink);
        if (run.parent && sink === out) sink = [];
      }
      const parent = run.parent;
      if (parent) {
        run.parent = undefined;
        parent.render(scope, ctx, out);
      }
    };
    return { name, origin, render };
  }

  // ----- statements -----

  private body(stmts: Stmt[]): StmtFn {
    const fns = stmts.map((s) => this.stmt(s));
    if (fns.length === 1) return fns[0] as StmtFn;
    return (s, c, out) => {
      for (const fn of fns) fn(s, c, out);
    };
  }

  private stmt(node: Stmt): StmtFn {
    switch (node.kind) {
      case 'output':
        return this.output(node.items);
      case 'if': {
        const branches = node.branches.map((b) => ({ test: this.expr(b.test), body: this.body(b.body) }));
        const els = this.body(node.else);
        return (s, c, out) => {
          for (const b of branches) {
            if (pyTruthy(b.test(s, c))) return b.body(s, c, out);
          }
          els(s, c, out);
        };
      }
      case 'for':
        return this.forLoop(node);
      case 'set': {
        const value = this.expr(node.expr);
        const assign = this.assigner(node.target);
        return (s, c) => assign(s, value(s, c));
      }
      case 'setblock': {
        const body = this.body(node.body);
        const filter = node.filter ? this.filter(node.filter) : undefined;
        const assign = this.assigner(node.target);
        return (s, c) => {
          const parts: PyValue[] = [];
          body(s, c, parts);
          let value = c.concat(parts);
          if (filter) value = filter(s, c, value);
          assign(s, value);
        };
      }
      case 'macro': {
        const make = this.macro(node, node.name, node.params, node.defaults, node.body);
        return (s, c) => {
          s.vars.set(node.name, make(s, c));
        };
      }
      case 'callblock': {
        const makeCaller = this.macro(node, 'caller', node.params, node.defaults, node.body);
        const call = node.call as Extract<Expr, { kind: 'call' }>;
        const callee = this.expr(call.node);
        const args = this.callArgs(call);
        return (s, c, out) => {
          try {
            const { args: a, kwargs } = args(s, c);
            kwargs.set('caller', makeCaller(s, c));
            out.push(callValue(callee(s, c), a, kwargs));
          } catch (e) {
            throw this.locate(e, call);
          }
        };
      }
      case 'filterblock': {
        const body = this.body(node.body);
        const filter = this.filter(node.filter);
        return (s, c, out) => {
          const parts: PyValue[] = [];
          body(s, c, parts);
          out.push(filter(s, c, c.concat(parts)));
        };
      }
      case 'with': {
        const values = node.values.map((v) => this.expr(v));
        const assigns = node.targets.map((t) => this.assigner(t));
        const body = this.body(node.body);
        return (s, c, out) => {
          const evaluated = values.map((v) => v(s, c));
          const inner = new Scope(s);
          assigns.forEach((assign, i) => assign(inner, evaluated[i] ?? null));
          body(inner, c, out);
        };
      }
      case 'include':
        return this.include(node);
      case 'import': {
        const load = this.templateLoader(node.template);
        return (s, c) => {
          s.vars.set(node.target, this.importModule(load(s, c), s, c, node.withContext));
        };
      }
      case 'fromimport': {
        const load = this.templateLoader(node.template);
        return (s, c) => {
          const tpl = load(s, c);
          const module = this.importModule(tpl, s, c, node.withContext);
          for (const [name, alias] of node.names) {
            const value = module.exports.get(name);
            s.vars.set(
              alias,
              value !== undefined
                ? value
                : new JinjaUndefined(
                  `the template ${strRepr(tpl.name ?? '')} (imported on line ${node.line}) does not export the requested name ${strRepr(name)}`,
                ),
            );
          }
        };
      }
      case 'block':
        return this.block(node);
      case 'extends': {
        const load = this.templateLoader(node.template);
        return (s, c) => {
          if (s.run.parent) throw this.locate(new TemplateSyntaxError('extended multiple times', node.line, node.col), node);
          s.run.parent = load(s, c);
        };
      }
    }
  }

  private output(items: OutputItem[]): StmtFn {
    const parts = items.map((item): StmtFn => {
      if (item.kind === 'data') {
        const text = item.text;
        return (_s, _c, out) => {
          out.push(text);
        };
      }
      const fn = this.expr(item);
      return (s, c, out) => {
        c.nativeMarker = undefined;
        let value: PyValue;
        try {
          value = finalize(fn(s, c));
        } catch (e) {
          throw this.locate(e, item);
        }
        // A string-type filter's text is NativeJinjaText, which Ansible never turns back into data.
        if (c.nativeMarker !== undefined && value === c.nativeMarker) out.push(new NativeText(strValue(c.nativeMarker)));
        else out.push(value);
      };
    });
    if (parts.length === 1) return parts[0] as StmtFn;
    return (s, c, out) => {
      for (const p of parts) p(s, c, out);
    };
  }

  private forLoop(node: Extract<Stmt, { kind: 'for' }>): StmtFn {
    const iter = this.expr(node.iter);
    const assign = this.assigner(node.target);
    const test = node.test ? this.expr(node.test) : undefined;
    const body = this.body(node.body);
    const els = this.body(node.else);
    const run = (s: Scope, c: RenderContext, out: PyValue[], iterable: PyValue, depth0: number): void => {
      let items: PyValue[];
      try {
        items = [...pyIterable(iterable)];
      } catch (e) {
        throw this.locate(e, node.iter);
      }
      if (test) {
        items = items.filter((item) => {
          const inner = new Scope(s);
          assign(inner, item);
          return pyTruthy(test(inner, c));
        });
      }
      if (items.length === 0) {
        els(s, c, out);
        return;
      }
      const recurse = node.recursive
        ? (value: PyValue, depth: number): PyValue => {
            const parts: PyValue[] = [];
            run(s, c, parts, value, depth);
            return c.concat(parts);
          }
        : undefined;
      const loop = new LoopContext(items, depth0, recurse);
      for (let i = 0; i < items.length; i++) {
        loop.index0 = i;
        const inner = new Scope(s);
        assign(inner, items[i] ?? null);
        inner.vars.set('loop', loop);
        body(inner, c, out);
      }
    };
    return (s, c, out) => run(s, c, out, iter(s, c), 0);
  }

  private assigner(target: Target): (s: Scope, value: PyValue) => void {
    switch (target.kind) {
      case 'name':
        return (s, value) => {
          s.vars.set(target.name, value);
        };
      case 'nsref':
        return (s, value) => {
          const ns = s.lookup(target.name);
          if (!(ns instanceof Namespace)) {
            throw this.locate(new PyError('TemplateRuntimeError', 'cannot assign attribute on non-namespace object'), target);
          }
          ns.attrs.set(target.attr, value);
        };
      default: {
        const items = target.items.map((t) => this.assigner(t));
        return (s, value) => {
          let values: PyValue[];
          try {
            values = unpackable(value);
            if (values.length < items.length) {
              throw valueError(`not enough values to unpack (expected ${items.length}, got ${values.length})`);
            }
            if (values.length > items.length) throw valueError(`too many values to unpack (expected ${items.length})`);
          } catch (e) {
            throw this.locate(e, target);
          }
          items.forEach((assign, i) => assign(s, values[i] ?? null));
        };
      }
    }
  }

  private macro(at: Pos, name: string, params: string[], defaults: Expr[], bodyStmts: Stmt[]): (s: Scope, c: RenderContext) => Macro {
    const body = this.body(bodyStmts);
    const defaultFns = defaults.map((d) => this.expr(d));
    const firstDefault = params.length - defaults.length;
    const used = referencedNames(bodyStmts, new Set(['caller', 'varargs', 'kwargs']));
    const explicitCaller = params.indexOf('caller');
    if (used.has('caller') && explicitCaller >= 0 && explicitCaller < firstDefault) {
      throw new TemplateSyntaxError('When defining macros or call blocks the special "caller" argument must be omitted or be given a default.', at.line, at.col);
    }
    const catchVarargs = used.has('varargs') && !params.includes('varargs');
    const catchKwargs = used.has('kwargs') && !params.includes('kwargs');
    const acceptsCaller = used.has('caller') && explicitCaller < 0;
    return (defScope, c) =>
      new Macro(name, params, catchVarargs, catchKwargs, acceptsCaller, (bound) => {
        const scope = new Scope(defScope);
        params.forEach((param, i) => {
          let value = bound.get(param);
          if (value === undefined) {
            const dflt = i >= firstDefault ? defaultFns[i - firstDefault] : undefined;
            value = dflt ? dflt(scope, c) : new JinjaUndefined(`parameter ${strRepr(param)} was not provided`);
          }
          scope.vars.set(param, value);
        });
        for (const special of ['caller', 'varargs', 'kwargs']) {
          const value = bound.get(special);
          if (value !== undefined && !params.includes(special)) scope.vars.set(special, value);
        }
        const parts: PyValue[] = [];
        body(scope, c, parts);
        return c.concat(parts);
      });
  }

  private templateLoader(expr: Expr): (s: Scope, c: RenderContext) => CompiledTemplate {
    const name = this.expr(expr);
    return (s, c) => {
      const value = name(s, c);
      const tpl = c.loadTemplate(value);
      if (!tpl) throw this.locate(new PyError('TemplateNotFound', templateNotFoundMessage(value)), expr);
      return tpl;
    };
  }

  private include(node: Extract<Stmt, { kind: 'include' }>): StmtFn {
    const name = this.expr(node.template);
    return (s, c, out) => {
      const value = name(s, c);
      const tpl = c.loadTemplate(value);
      if (!tpl) {
        if (node.ignoreMissing) return;
        throw this.locate(new PyError('TemplateNotFound', templateNotFoundMessage(value)), node.template);
      }
      const scope = node.withContext ? new Scope(s, undefined, true) : new Scope(undefined, c.globalsOnly, true);
      tpl.render(scope, c, out);
    };
  }

  private importModule(tpl: CompiledTemplate, s: Scope, c: RenderContext, withContext: boolean): TemplateModule {
    const scope = withContext ? new Scope(s, undefined, true) : new Scope(undefined, c.globalsOnly, true);
    tpl.render(scope, c, []);
    const exports = new Map<string, PyValue>();
    for (const [k, v] of scope.vars) if (!k.startsWith('_')) exports.set(k, v);
    return new TemplateModule(tpl.name ?? '', exports);
  }

  private block(node: Extract<Stmt, { kind: 'block' }>): StmtFn {
    const body = this.body(node.body);
    const renderer: BlockRenderer = (scope, c, out, run, depth) => {
      const stack = run.blocks.get(node.name) ?? [];
      scope.vars.set(
        'super',
        new PyCallable('super', () => {
          const next = stack[depth + 1];
          if (!next) return new JinjaUndefined(`there is no parent block called ${strRepr(node.name)}.`);
          const parts: PyValue[] = [];
          next(new Scope(run.root), c, parts, run, depth + 1);
          return strictJoin(parts);
        }),
      );
      body(scope, c, out);
    };
    if (!this.blocks.has(node.name)) this.blocks.set(node.name, renderer);
    return (s, c, out) => {
      if (s.run.parent) return;
      const top = s.run.blocks.get(node.name)?.[0] ?? renderer;
      top(node.scoped ? new Scope(s) : new Scope(s.run.root), c, out, s.run, 0);
    };
  }

  // ----- expressions -----

  private expr(node: Expr): ExprFn {
    switch (node.kind) {
      case 'const': {
        const value = node.value;
        return () => value;
      }
      case 'name': {
        const name = node.name;
        const hint = `${strRepr(name)} is undefined`;
        const origin = this.origin;
        return (s) => {
          const value = s.lookup(name);
          return value === undefined ? new JinjaUndefined(hint, false, node.line, node.col, origin) : value;
        };
      }
      case 'getattr': {
        const obj = this.expr(node.node);
        const attr = node.attr;
        const where = { line: node.line, col: node.col, origin: this.origin };
        return (s, c) => getAttr(obj(s, c), attr, where);
      }
      case 'getitem': {
        const obj = this.expr(node.node);
        const arg = this.expr(node.arg);
        const where = { line: node.line, col: node.col, origin: this.origin };
        return (s, c) => getItem(obj(s, c), arg(s, c), where);
      }
      case 'slice': {
        const none: ExprFn = () => null;
        const start = node.start ? this.expr(node.start) : none;
        const stop = node.stop ? this.expr(node.stop) : none;
        const step = node.step ? this.expr(node.step) : none;
        return (s, c) => new PySlice(start(s, c), stop(s, c), step(s, c));
      }
      case 'tuple': {
        const items = node.items.map((i) => this.expr(i));
        return (s, c) => new PyTuple(items.map((i) => i(s, c)));
      }
      case 'list': {
        const items = node.items.map((i) => this.expr(i));
        return (s, c) => items.map((i) => i(s, c));
      }
      case 'dict': {
        const items = node.items.map(([k, v]) => [this.expr(k), this.expr(v)] as const);
        return this.located(node, (s, c) => {
          const out = new PyDict();
          for (const [k, v] of items) dictSet(out, k(s, c), v(s, c));
          return out;
        });
      }
      case 'binop': {
        const left = this.expr(node.left);
        const right = this.expr(node.right);
        const op = BINARY[node.op];
        return this.located(node, (s, c) => op(left(s, c), right(s, c)));
      }
      case 'concat': {
        const items = node.items.map((i) => this.expr(i));
        return this.located(node, (s, c) => {
          let out = '';
          for (const i of items) out += pyStr(i(s, c));
          return out;
        });
      }
      case 'neg': {
        const operand = this.expr(node.node);
        return this.located(node, (s, c) => pyNeg(operand(s, c)));
      }
      case 'pos': {
        const operand = this.expr(node.node);
        return this.located(node, (s, c) => pyPos(operand(s, c)));
      }
      case 'not': {
        const operand = this.expr(node.node);
        return this.located(node, (s, c) => !pyTruthy(operand(s, c)));
      }
      case 'and': {
        const left = this.expr(node.left);
        const right = this.expr(node.right);
        return this.located(node, (s, c) => {
          const l = left(s, c);
          return pyTruthy(l) ? right(s, c) : l;
        });
      }
      case 'or': {
        const left = this.expr(node.left);
        const right = this.expr(node.right);
        return this.located(node, (s, c) => {
          const l = left(s, c);
          return pyTruthy(l) ? l : right(s, c);
        });
      }
      case 'compare': {
        const first = this.expr(node.first);
        const ops = node.ops.map((o) => ({ cmp: COMPARE[o.op], expr: this.expr(o.expr) }));
        return this.located(node, (s, c) => {
          let left = first(s, c);
          for (const { cmp, expr } of ops) {
            const right = expr(s, c);
            if (!cmp(left, right)) return false;
            left = right;
          }
          return true;
        });
      }
      case 'condexpr': {
        const test = this.expr(node.test);
        const expr1 = this.expr(node.expr1);
        const hint = `the inline if-expression on line ${node.line}${this.name ? ` in ${strRepr(this.name)}` : ''} evaluated to false and no else section was defined.`;
        const expr2: ExprFn = node.expr2 ? this.expr(node.expr2) : () => new JinjaUndefined(hint, true);
        return (s, c) => (pyTruthy(test(s, c)) ? expr1(s, c) : expr2(s, c));
      }
      case 'call': {
        const callee = this.expr(node.node);
        const args = this.callArgs(node);
        return this.located(node, (s, c) => {
          const fn = callee(s, c);
          const a = args(s, c);
          return callValue(fn, a.args, a.kwargs);
        });
      }
      case 'filter': {
        const value = node.node ? this.expr(node.node) : (): PyValue => null;
        const filter = this.filter(node);
        return (s, c) => filter(s, c, value(s, c));
      }
      case 'test': {
        const value = this.expr(node.node);
        const test = this.plugins.tests[node.name];
        if (!test) throw couldNotLoad(node.name, node.line, node.col, false);
        const args = this.callArgs(node);
        return this.located(node, (s, c) => test(c.pluginEnv, value(s, c), args(s, c)));
      }
    }
  }

  /** A filter applied to a value computed elsewhere (the piped value or a block's output). */
  private filter(node: FilterNode): (s: Scope, c: RenderContext, value: PyValue) => PyValue {
    const fn = this.plugins.filters[node.name];
    if (!fn) throw couldNotLoad(node.name, node.line, node.col, false);
    const args = this.callArgs(node);
    // Ansible wraps these by the name as written (ansible.builtin.to_json is not in the list).
    const stringType = STRING_TYPE_FILTERS.has(node.name);
    return (s, c, value) => {
      try {
        const result = fn(c.pluginEnv, value, args(s, c));
        if (stringType) {
          if (typeof result === 'string') c.nativeMarker = result;
          return result;
        }
        // Ansible unrolls generators, ranges and dict views that filters return.
        return result instanceof PyDictView || result instanceof PyRange ? pyIterable(result) : result;
      } catch (e) {
        throw this.locate(e, node);
      }
    };
  }

  private callArgs(node: CallArgsNode): (s: Scope, c: RenderContext) => { args: PyValue[]; kwargs: Map<string, PyValue> } {
    const args = node.args.map((a) => this.expr(a));
    const kwargs = node.kwargs.map(([k, v]) => [k, this.expr(v)] as const);
    const dynArgs = node.dynArgs ? this.expr(node.dynArgs) : undefined;
    const dynKwargs = node.dynKwargs ? this.expr(node.dynKwargs) : undefined;
    if (!dynArgs && !dynKwargs && kwargs.length === 0) {
      if (args.length === 0) return () => ({ args: [], kwargs: new Map() });
      return (s, c) => ({ args: args.map((a) => a(s, c)), kwargs: new Map() });
    }
    return (s, c) => {
      const a = args.map((x) => x(s, c));
      const k = new Map<string, PyValue>();
      for (const [name, fn] of kwargs) k.set(name, fn(s, c));
      if (dynArgs) a.push(...pyIterable(dynArgs(s, c)));
      if (dynKwargs) {
        const extra = dynKwargs(s, c);
        if (!(extra instanceof PyDict)) throw typeError(`argument after ** must be a mapping, not ${pyTypeName(extra)}`);
        for (const [key, v] of extra) k.set(String(key), v);
      }
      return { args: a, kwargs: k };
    };
  }
}

/** The items of a value being unpacked (`for a, b in …`, `set a, b = …`). */
function unpackable(value: PyValue): PyValue[] {
  try {
    return pyIterable(value);
  } catch (e) {
    if (e instanceof PyError && e.pyName === 'TypeError' && !(value instanceof PyUndefined)) {
      throw typeError(`cannot unpack non-iterable ${pyTypeName(value)} object`);
    }
    throw e;
  }
}

function templateNotFoundMessage(name: PyValue): string {
  return Array.isArray(name) ? `Tried to find any of the templates: ${pyStr(name)}` : pyStr(name);
}

/** Jinja2's TemplateReference (`self`): `self.name()` renders block `name` again. */
class TemplateReference implements PyObject {
  readonly pyType = 'TemplateReference';
  readonly pyQualifiedName = 'jinja2.runtime.TemplateReference';

  constructor(
    private readonly run: TemplateRun,
    private readonly ctx: RenderContext,
  ) {}

  pyGetAttr(name: string): PyValue | undefined {
    const block = this.run.blocks.get(name)?.[0];
    if (!block) return undefined;
    return new PyCallable(name, () => {
      const parts: PyValue[] = [];
      block(new Scope(this.run.root), this.ctx, parts, this.run, 0);
      return strictJoin(parts);
    });
  }

  pyRepr(): string {
    return '<TemplateReference None>';
  }
}

/** Calls anything a template can call: Python methods, globals, macros, `loop`, joiners… */
export function callValue(fn: PyValue, args: PyValue[], kwargs: Map<string, PyValue>): PyValue {
  if (fn instanceof PyCallable) return fn.fn(args, kwargs);
  if (fn instanceof PyUndefined) throw undefinedError(fn);
  const p = protocol(fn);
  if (p?.pyCall) return p.pyCall(args, kwargs);
  throw typeError(`'${pyTypeName(fn)}' object is not callable`);
}

const BINARY: Record<string, (a: PyValue, b: PyValue) => PyValue> = {
  '+': pyAdd,
  '-': pySub,
  '*': pyMul,
  '/': pyTrueDiv,
  '//': pyFloorDiv,
  '%': pyMod,
  '**': pyPow,
};

const COMPARE: Record<string, (a: PyValue, b: PyValue) => boolean> = {
  '==': (a, b) => pyEquals(a, b),
  '!=': (a, b) => !pyEquals(a, b),
  '<': (a, b) => pyCompareOp('<', a, b),
  '<=': (a, b) => pyCompareOp('<=', a, b),
  '>': (a, b) => pyCompareOp('>', a, b),
  '>=': (a, b) => pyCompareOp('>=', a, b),
  in: (a, b) => pyContains(b, a),
  notin: (a, b) => !pyContains(b, a),
};
