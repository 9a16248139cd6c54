import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { FleetError, TemplateError, type SourceLocation } from '../errors.js';
import type { CallArgs, LookupContext, PluginEnv, RenderTextOptions } from './registry.js';
import { PyDict, PyTuple, PyUndefined, PyUnsafe, type PyValue } from './values.js';
import {
  JinjaUndefined,
  PyCallable,
  PyError,
  PyUndefinedError,
  isNumeric,
  isStr,
  mutationEpoch,
  pyStr,
  pyTruthy,
  strValue,
} from './python/index.js';
import { getItem } from './runtime/access.js';
import { compileTemplate, errorPosition, type CompiledTemplate, type RenderContext } from './runtime/compile.js';
import { containsUnsafe, evalConcat, NativeText, textConcat, wrapUnsafe } from './runtime/concat.js';
import { PyDatetime } from './runtime/datetime.js';
import { lipsum } from './runtime/lipsum.js';
import { Cycler, Joiner, Namespace, PyRange, pyDict } from './runtime/objects.js';
import { Scope, type NameResolver } from './runtime/scope.js';
import { ANSIBLE_SYNTAX, DELIMITER_OPTIONS, escapeBackslashes, tokenize, type Delimiters, type SyntaxConfig } from './syntax/lexer.js';
import { Parser } from './syntax/parser.js';
import { couldNotLoad, TemplateSyntaxError } from './syntax/errors.js';
import { defaultPlugins, type PluginRegistry } from './plugins.js';
import { literalEval } from './runtime/literal.js';
import { asciiFirst, lazyRegExp } from './unicode_regexp.js';

/** Where a Templar finds variables: the vars layer, or a plain dict. */
export interface VariableSource {
  get(name: string): PyValue | undefined;
  names(): Iterable<string>;
}

/**
 * Ansible's `omit` placeholder (VariableManager's `omit` variable): a value modules drop.
 * https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_filters.html#making-variables-optional
 */
export const OMIT = `__omit_place_holder__${createHash('sha1').update(randomBytes(64)).digest('hex')}`;

export function isOmit(v: PyValue): boolean {
  return isStr(v) && strValue(v) === OMIT;
}

export interface TemplarOptions {
  vars: VariableSource | PyDict;
  /** Where Ansible's templating warnings go (a conditional holding {{ }}). */
  warn?: (message: string) => void;
  lookupContext?: LookupContext;
  /** Filters, tests and lookups (tests inject their own; the default is fleet's full set). */
  plugins?: PluginRegistry;
}

export interface TemplateOptions {
  source?: SourceLocation;
  failOnUndefined?: boolean;
  /** Templar.template's disable_lookups: a lookup fails instead of running. */
  disableLookups?: boolean;
}

export interface RenderFileOptions {
  source?: SourceLocation;
  extraVars?: Map<string, PyValue>;
  /** The template module's `trim_blocks` (default true), `lstrip_blocks` (default false), `newline_sequence`. */
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  newlineSequence?: string;
  /** The template module's `block_start_string`, `variable_end_string`… */
  delimiters?: Delimiters;
}

class DictSource implements VariableSource {
  constructor(private readonly dict: PyDict) {}
  get(name: string): PyValue | undefined {
    return this.dict.get(name);
  }
  names(): Iterable<string> {
    return [...this.dict.keys()].filter((k): k is string => typeof k === 'string');
  }
}

class OverlaySource implements VariableSource {
  constructor(
    private readonly base: VariableSource,
    private readonly extra: Map<string, PyValue>,
  ) {}
  get(name: string): PyValue | undefined {
    const v = this.extra.get(name);
    return v !== undefined ? v : this.base.get(name);
  }
  names(): Iterable<string> {
    return new Set([...this.base.names(), ...this.extra.keys()]);
  }
}

interface DoTemplateOptions {
  concat: 'eval' | 'text';
  escapeBackslashes: boolean;
  syntax: SyntaxConfig;
  failOnUndefined: boolean;
  source?: SourceLocation;
  disableLookups?: boolean;
}

/** State shared by a Templar and the children `withVars` makes (recursion depth, template cache). */
interface SharedState {
  depth: number;
  warn?: ((message: string) => void) | undefined;
}

const MAX_DEPTH = 200;
// Ansible's Templar.SINGLE_VAR: `{{ name }}` alone, which returns the variable's own value
// (Python's `\w` is Unicode-aware, and its `$` also matches before a final newline).
const singleVar = asciiFirst(/^\{\{\s*([A-Za-z0-9_]*)\s*\}\}\n?$/, lazyRegExp(() => /^\{\{\s*([\p{L}\p{N}_]*)\s*\}\}\n?$/u));
const JINJA2_OVERRIDE = '#jinja2:';
const OVERRIDE_KEYS: Record<string, keyof SyntaxConfig> = {
  trim_blocks: 'trimBlocks',
  lstrip_blocks: 'lstripBlocks',
  newline_sequence: 'newlineSequence',
  keep_trailing_newline: 'keepTrailingNewline',
  ...DELIMITER_OPTIONS,
};

/** Compiled templates by plugin set, then syntax settings and template name, then source text. */
const compiledCache = new WeakMap<PluginRegistry, Map<string, Map<string, CompiledTemplate>>>();
const CACHE_LIMIT = 10_000;

function compile(source: string, syntax: SyntaxConfig, plugins: PluginRegistry, name?: string, file?: string): CompiledTemplate {
  let bySetting = compiledCache.get(plugins);
  if (!bySetting) compiledCache.set(plugins, (bySetting = new Map()));
  const setting = syntax === ANSIBLE_SYNTAX && name === undefined ? '' : `${JSON.stringify(syntax)}\u0000${name ?? ''}\u0000${file ?? ''}`;
  let cache = bySetting.get(setting);
  if (!cache) bySetting.set(setting, (cache = new Map()));
  let compiled = cache.get(source);
  if (!compiled) {
    const origin = file === undefined ? undefined : { file, source };
    let ast;
    try {
      ast = new Parser(tokenize(source, syntax)).parse();
    } catch (e) {
      if (origin && e instanceof TemplateSyntaxError) Object.assign(e, { origin });
      throw e;
    }
    compiled = compileTemplate(ast, plugins, name, origin);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(source, compiled);
  }
  return compiled;
}

/** Counts newlines at the end of a string (Ansible's _count_newlines_from_end). */
function trailingNewlines(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\n'; i--) n++;
  return n;
}

/** Ansible's is_possibly_template: a start delimiter anywhere in the text. */
const looksLikeTemplate = (s: string, syntax: SyntaxConfig = ANSIBLE_SYNTAX): boolean =>
  s.includes(syntax.variableStart) || s.includes(syntax.blockStart) || s.includes(syntax.commentStart);

/** Ansible's settings with some replaced; ANSIBLE_SYNTAX itself when none differs (its compile cache key is ''). */
function syntaxWith(changes: Partial<SyntaxConfig>): SyntaxConfig {
  const syntax = { ...ANSIBLE_SYNTAX, ...changes };
  const isDefault = (Object.keys(ANSIBLE_SYNTAX) as (keyof SyntaxConfig)[]).every((k) => syntax[k] === ANSIBLE_SYNTAX[k]);
  return isDefault ? ANSIBLE_SYNTAX : syntax;
}

/**
 * A deep copy of a variable's value, or undefined when it holds a template (which must be
 * rendered instead). Templar.template copies lists and dicts the same way.
 */
function plainCopy(v: PyValue): PyValue | undefined {
  if (typeof v === 'string') return looksLikeTemplate(v) ? undefined : v;
  if (Array.isArray(v) || v instanceof PyTuple) {
    const items = Array.isArray(v) ? v : v.items;
    const out: PyValue[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const c = plainCopy(items[i] as PyValue);
      if (c === undefined) return undefined;
      out[i] = c;
    }
    return out;
  }
  if (v instanceof PyDict) {
    const out = new PyDict();
    for (const [k, x] of v) {
      const c = plainCopy(x);
      if (c === undefined) return undefined;
      out.set(k, c);
    }
    return out;
  }
  return v;
}

const sizeOf = (v: PyDict | PyTuple | PyValue[]): number => (v instanceof PyDict ? v.size : Array.isArray(v) ? v.length : v.items.length);

/**
 * Copies of template-free container variables, reused while no template has changed a list
 * or dict in place: values a Templar is given are never changed in place by fleet (layers
 * replace values), so a copy stays equal to its source while the mutation count stands.
 */
const plainCopies = new WeakMap<object, { copy: PyValue; epoch: number; size: number; unsafe: boolean }>();

/** Ansible's DEFINED_REGEX (ansible/playbook/conditional.py). */
const DEFINED_REGEX = /(hostvars\[.+\]|[\w_]+)\s+(not\s+is|is|is\s+not)\s+(defined|undefined)/gu;

/**
 * Ansible's Templar (ansible/template/__init__.py, 2.14, non-native mode): templates values
 * recursively, renders template files, and evaluates conditionals.
 */
export class Templar {
  private readonly vars: VariableSource;
  readonly lookupContext: LookupContext;
  private readonly plugins: PluginRegistry;
  private readonly shared: SharedState;
  private readonly globals: Map<string, PyValue>;
  private current: TemplarRenderContext | undefined;

  constructor(options: TemplarOptions & { shared?: SharedState }) {
    this.vars = options.vars instanceof PyDict ? new DictSource(options.vars) : options.vars;
    this.lookupContext = options.lookupContext ?? { basedir: process.cwd(), searchPaths: [], env: process.env };
    this.plugins = options.plugins ?? defaultPlugins();
    this.shared = options.shared ?? { depth: 0, warn: options.warn };
    this.globals = this.makeGlobals();
  }

  /** A child Templar that also sees `extra` (loop variables, registered results). */
  withVars(extra: Map<string, PyValue>): Templar {
    return new Templar({ vars: new OverlaySource(this.vars, extra), lookupContext: this.lookupContext, plugins: this.plugins, shared: this.shared });
  }

  /** Whether a value holds a template (Ansible's Templar.is_template). */
  isTemplate(value: PyValue): boolean {
    if (typeof value === 'string') return isTemplateString(value);
    if (Array.isArray(value)) return value.some((v) => this.isTemplate(v));
    if (value instanceof PyTuple) return value.items.some((v) => this.isTemplate(v));
    if (value instanceof PyDict) {
      for (const [k, v] of value) if ((typeof k === 'string' && isTemplateString(k)) || this.isTemplate(v)) return true;
    }
    return false;
  }

  /** Ansible's Templar.template: recursive over lists/dicts; strings rendered with Ansible's rules. */
  template(value: PyValue, options: TemplateOptions = {}): PyValue {
    return this.templateValue(value, options.failOnUndefined ?? true, options.source, options.disableLookups ?? false);
  }

  /** Templar.template of one text with the `template` lookup's settings. */
  renderText(text: string, options: RenderTextOptions = {}): PyValue {
    return this.templateString(text, {
      concat: options.convertData === false ? 'text' : 'eval',
      escapeBackslashes: options.escapeBackslashes ?? true,
      syntax: syntaxWith(options.delimiters ?? {}),
      failOnUndefined: true,
    });
  }

  private templateValue(value: PyValue, failOnUndefined: boolean, source: SourceLocation | undefined, disableLookups: boolean): PyValue {
    if (value instanceof PyUnsafe) return value;
    if (typeof value === 'string') {
      return this.templateString(value, { concat: 'eval', escapeBackslashes: true, syntax: ANSIBLE_SYNTAX, failOnUndefined, source, disableLookups });
    }
    if (Array.isArray(value) || value instanceof PyTuple) {
      return (Array.isArray(value) ? value : value.items).map((v) => this.templateValue(v, failOnUndefined, source, disableLookups));
    }
    if (value instanceof PyDict) {
      const out = new PyDict();
      for (const [k, v] of value) out.set(k, this.templateValue(v, failOnUndefined, source, disableLookups));
      return out;
    }
    return value;
  }

  /** Templar.template of one string. */
  private templateString(value: string, options: DoTemplateOptions): PyValue {
    if (!looksLikeTemplate(value, options.syntax)) return value;
    const single = singleVar(value);
    if (single) {
      const resolved = this.vars.get(single[1] as string);
      // Ansible's NON_TEMPLATED_TYPES (bool, numbers.Number): returned as they are.
      if (resolved === null || (resolved !== undefined && isNumeric(resolved))) {
        return resolved;
      }
    }
    return this.doTemplate(value, options);
  }

  /** A whole template file as the `template` module renders it (ansible/plugins/action/template.py). */
  renderFile(text: string, options: RenderFileOptions = {}): string {
    const templar = options.extraVars ? this.withVars(options.extraVars) : this;
    const syntax = syntaxWith({
      ...options.delimiters,
      trimBlocks: options.trimBlocks ?? true,
      lstripBlocks: options.lstripBlocks ?? false,
      newlineSequence: options.newlineSequence ?? '\n',
    });
    const result = templar.doTemplate(text, {
      concat: 'text',
      escapeBackslashes: false,
      syntax,
      failOnUndefined: true,
      source: options.source,
    });
    return isStr(result) ? strValue(result) : pyStr(result);
  }

  /** A `when:`/`failed_when:`/`changed_when:`/`until:` (Conditional.evaluate_conditional). */
  evaluateConditional(condition: PyValue, options: { source?: SourceLocation } = {}): boolean {
    const conditions = Array.isArray(condition) ? condition : [condition];
    for (const c of conditions) {
      if (c === null || c === '') continue;
      if (typeof c === 'boolean') {
        if (!c) return false;
        continue;
      }
      if (!this.checkConditional(c, options.source)) return false;
    }
    return true;
  }

  private checkConditional(conditional: PyValue, source: SourceLocation | undefined): boolean {
    const original = conditional;
    if (this.isTemplate(conditional)) {
      this.shared.warn?.(`conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${pyStr(conditional)}`);
    }
    const disableLookups = conditional instanceof PyUnsafe;
    // Ansible matches `is defined` tests against the conditional after its first pass.
    let tested: PyValue = conditional;
    try {
      // A first pass resolves inline {{ }}; an unsafe result is never evaluated further.
      const first = this.templateValue(conditional, true, source, disableLookups);
      tested = first;
      if (first instanceof PyUnsafe && first.value !== '') {
        throw new TemplateError('Conditional is marked as unsafe, and cannot be evaluated.');
      }
      if (typeof first !== 'string' || first === '') return pyTruthy(first);
      const presented = `{% if ${first} %} True {% else %} False {% endif %}`;
      const val = this.templateValue(presented, true, source, disableLookups);
      const result = (isStr(val) ? strValue(val) : pyStr(val)).trim();
      if (result === 'True') return true;
      if (result === 'False') return false;
      throw new TemplateError(`unable to evaluate conditional: ${pyStr(original)}`);
    } catch (e) {
      if (!(e instanceof PyUndefinedError)) throw e;
      // A variable the conditional itself tests with `is defined`/`is undefined` decides it.
      const name = /'(hostvars\[.+\]|[\w_]+)' is undefined/u.exec(e.message)?.[1];
      if (name === undefined) {
        const detail = e.ansibleText;
        throw new TemplateError(`error while evaluating conditional (${pyStr(original)}): ${detail}`, {
          location: e.location,
          sourceLine: e.sourceLine,
          cause: e,
        });
      }
      if (typeof tested === 'string') {
        for (const m of tested.matchAll(DEFINED_REGEX)) {
          const [, variable = '', logic = '', state = ''] = m;
          if (name.replace(/'/g, '"') === variable.replace(/'/g, '"')) {
            const shouldExist = logic.includes('not') !== (state === 'defined');
            return !shouldExist;
          }
        }
      }
      throw e;
    }
  }

  // ----- rendering -----

  private doTemplate(data: string, options: DoTemplateOptions): PyValue {
    if (this.shared.depth >= MAX_DEPTH) {
      // What CPython reports when a variable's value refers back to itself.
      throw new PyError('RecursionError', 'maximum recursion depth exceeded while calling a Python object', { location: options.source });
    }
    const dataNewlines = trailingNewlines(data);
    let syntax = options.syntax;
    let text = data;
    // The `#jinja2:` line is not part of the template Jinja2 sees; positions skip it.
    const headerLines = text.startsWith(JINJA2_OVERRIDE) ? 1 : 0;
    if (headerLines) ({ syntax, text } = applyOverrides(text, syntax));
    this.shared.depth++;
    const outer = this.current;
    const ctx = new TemplarRenderContext(this, options.concat, options.disableLookups ?? false);
    this.current = ctx;
    try {
      if (options.escapeBackslashes) text = escapeBackslashes(text, syntax);
      const compiled = compile(text, syntax, this.plugins);
      const out: PyValue[] = [];
      compiled.render(new Scope(undefined, ctx, true), ctx, out);
      let result = ctx.concat(out);
      if (typeof result === 'string' && dataNewlines > 0) {
        const missing = dataNewlines - trailingNewlines(result);
        if (missing > 0) result += syntax.newlineSequence.repeat(missing);
      }
      return ctx.unsafe ? wrapUnsafe(result) : result;
    } catch (e) {
      if (e instanceof PyUndefinedError && !options.failOnUndefined) return data;
      throw positioned(e, data, headerLines, options.source);
    } finally {
      this.current = outer;
      this.shared.depth--;
    }
  }

  /** A variable's value, templated on access as AnsibleJ2Vars does, and whether it holds `!unsafe` text. */
  resolveVariableEntry(name: string): { value: PyValue; unsafe: boolean } | undefined {
    const raw = this.vars.get(name);
    if (raw === undefined) return undefined;
    if (raw instanceof PyUnsafe) return { value: raw, unsafe: true };
    if (Array.isArray(raw) || raw instanceof PyDict || raw instanceof PyTuple) {
      if (name === 'vars' && raw instanceof PyDict) return { value: raw, unsafe: containsUnsafe(raw) };
      // HostVars templates each host's values itself, with that host's variables
      if (name === 'hostvars' && raw instanceof PyDict) return { value: raw, unsafe: false };
      const hit = plainCopies.get(raw);
      const epoch = mutationEpoch();
      if (hit && hit.epoch === epoch && hit.size === sizeOf(raw)) return { value: hit.copy, unsafe: hit.unsafe };
      const copy = plainCopy(raw);
      if (copy !== undefined) {
        const unsafe = containsUnsafe(copy);
        plainCopies.set(raw, { copy, epoch, size: sizeOf(raw), unsafe });
        return { value: copy, unsafe };
      }
    }
    const value = this.templateVariable(raw);
    return { value, unsafe: value !== null && typeof value === 'object' && containsUnsafe(value) };
  }

  private templateVariable(raw: PyValue): PyValue {
    try {
      return this.templateValue(raw, true, undefined, false);
    } catch (e) {
      if (!(e instanceof PyUndefinedError)) throw e;
      // Fail only when used, so `default()` and `is defined` can still handle it.
      const message = e.ansibleText;
      return new JinjaUndefined(`${pyStr(raw)}: ${message}`);
    }
  }

  variableNames(): string[] {
    return [...this.vars.names()];
  }

  resolveGlobal(name: string): PyValue | undefined {
    return this.globals.get(name);
  }

  /** Name lookup for templates rendered without context: Jinja2's globals only. */
  resolve(name: string): PyValue | undefined {
    return this.globals.get(name);
  }

  get pluginRegistry(): PluginRegistry {
    return this.plugins;
  }

  /** Display.warning for what a template does: the run's warnings, if this Templar was given them. */
  warn(message: string): void {
    this.shared.warn?.(message);
  }

  /** Finds `{% include %}`/`{% import %}` targets the way Jinja2's FileSystemLoader does. */
  loadTemplate(name: PyValue): CompiledTemplate | undefined {
    const names = Array.isArray(name) ? name : [name];
    for (const n of names) {
      if (!isStr(n)) continue;
      const path = this.findTemplate(strValue(n));
      if (path) return compile(readFileSync(path, 'utf8'), ANSIBLE_SYNTAX, this.plugins, strValue(n), path);
    }
    return undefined;
  }

  private findTemplate(name: string): string | undefined {
    const pieces = name.split('/').filter((p) => p !== '' && p !== '.');
    if (pieces.includes('..')) return undefined;
    const ctx = this.lookupContext;
    const roots = [...ctx.searchPaths, ctx.basedir].flatMap((p) => [join(p, 'templates'), p]);
    for (const root of roots) {
      const candidate = isAbsolute(root) ? join(root, ...pieces) : join(ctx.basedir, root, ...pieces);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    return undefined;
  }

  private makeGlobals(): Map<string, PyValue> {
    const fn = (name: string, f: (args: PyValue[], kwargs: Map<string, PyValue>) => PyValue): [string, PyValue] => [
      name,
      new PyCallable(name, f, 'function'),
    ];
    const lookup = (wantlist: boolean) => (args: PyValue[], kwargs: Map<string, PyValue>) => this.runLookup(args, kwargs, wantlist);
    return new Map<string, PyValue>([
      fn('range', (a, k) => PyRange.fromArgs(a, k)),
      fn('dict', (a, k) => pyDict(a, k)),
      fn('cycler', (a) => new Cycler(a)),
      fn('lipsum', lipsum),
      fn('joiner', (a, k) => new Joiner(a.length ? (a[0] as PyValue) : (k.get('sep') ?? ', '))),
      fn('namespace', (a, k) => Namespace.create(a, k)),
      fn('lookup', lookup(false)),
      fn('query', lookup(true)),
      fn('q', lookup(true)),
      fn('now', (a, k) => {
        const now = PyDatetime.now(pyTruthy(a[0] ?? k.get('utc') ?? false));
        const fmt = a[1] ?? k.get('fmt') ?? null;
        return fmt === null ? now : now.strftime(pyStr(fmt));
      }),
      fn('undef', (a, k) => {
        const hint = a[0] ?? k.get('hint') ?? null;
        const text = hint === null || hint instanceof PyUndefined || hint === '' ? 'Mandatory variable has not been overridden' : pyStr(hint);
        return new JinjaUndefined(text);
      }),
    ]);
  }

  /** Ansible's Templar._lookup (`lookup()`, `query()`, `q()`). */
  private runLookup(args: PyValue[], kwargsIn: Map<string, PyValue>, forceList: boolean): PyValue {
    const [nameValue, ...terms] = args;
    const name = nameValue === undefined ? '' : pyStr(nameValue);
    const ctx = this.current;
    if (ctx?.disableLookups) {
      throw new TemplateError(`The lookup \`${name}\` was found, however lookups were disabled from templating`);
    }
    const plugin = this.plugins.lookups[name];
    if (!plugin) throw new TemplateError(`lookup plugin (${name}) not found`);
    const kwargs = new Map(kwargsIn);
    const wantlist = forceList || pyTruthy(kwargs.get('wantlist') ?? false);
    const allowUnsafe = pyTruthy(kwargs.get('allow_unsafe') ?? false);
    const errors = pyStr(kwargs.get('errors') ?? 'strict');
    for (const k of ['wantlist', 'allow_unsafe', 'errors']) kwargs.delete(k);
    // listify_lookup_plugin_terms: the terms are templated once more.
    const templated = this.templateValue(terms, true, undefined, false) as PyValue[];
    let ran: PyValue[];
    try {
      ran = plugin(ctx?.pluginEnv ?? this.pluginEnv(), templated, kwargs);
    } catch (e) {
      if (e instanceof PyUndefinedError || errors === 'strict') throw e;
      return wantlist ? [] : null;
    }
    // NativeJinjaText is a str in Python: only the joined text keeps the mark.
    const native = ran[0] instanceof NativeText;
    if (native) ran = ran.map((r) => (r instanceof NativeText ? r.text : r));
    if (ran.length === 0 || allowUnsafe) return ran;
    if (ctx) ctx.unsafe = true;
    if (wantlist) return wrapUnsafe(ran);
    if (ran.every(isStr)) {
      const joined = new PyUnsafe(ran.map((r) => strValue(r as string | PyUnsafe)).join(','));
      if (native && ctx) ctx.nativeMarker = joined;
      return joined;
    }
    return wrapUnsafe(ran.length === 1 ? (ran[0] as PyValue) : ran);
  }

  /**
   * A `with_<lookup>` loop's items (TaskExecutor._get_loop_items): the plugin runs on the
   * already templated terms outside any render, so its error is the task's message as raised.
   */
  loopLookup(name: string, terms: PyValue[]): PyValue[] {
    const plugin = this.plugins.lookups[name];
    if (!plugin) throw new TemplateError(`lookup plugin (${name}) not found`);
    return wrapUnsafe(plugin(this.pluginEnv(), terms, new Map())) as PyValue[];
  }

  /** The plugin environment outside of any render (lookups called from Python code paths). */
  pluginEnv(): PluginEnv {
    return new TemplarRenderContext(this, 'eval', false).pluginEnv;
  }
}

function applyOverrides(text: string, syntax: SyntaxConfig): { syntax: SyntaxConfig; text: string } {
  const eol = text.indexOf('\n');
  const line = text.slice(JINJA2_OVERRIDE.length, eol < 0 ? undefined : eol);
  const rest = eol < 0 ? '' : text.slice(eol + 1);
  const next: SyntaxConfig = { ...syntax };
  for (const pair of line.split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) {
      throw new TemplateError(`failed to parse jinja2 override '${pair.trim()}'. Did you use something different from colon as key-value separator?`);
    }
    const key = pair.slice(0, colon).trim();
    const value = literalEval(pair.slice(colon + 1).trim());
    const field = OVERRIDE_KEYS[key];
    if (field && value !== undefined) (next as unknown as Record<string, PyValue>)[field] = isStr(value) ? strValue(value) : value;
  }
  return { syntax: next, text: rest };
}

/**
 * Turns any error of a render into a TemplateError that points into the template: into the
 * template file it happened in for included/imported ones, else into the rendered text,
 * offset by where that text sits in its source file when known.
 */
function positioned(e: unknown, text: string, headerLines: number, source: SourceLocation | undefined): unknown {
  if (!(e instanceof Error)) return e;
  const at =
    e instanceof TemplateSyntaxError
      ? { line: e.templateLine, col: e.templateCol, origin: (e as { origin?: { file: string; source: string } }).origin }
      : errorPosition(e);
  if (e instanceof FleetError && e.location) return e;
  if (!at) return e instanceof FleetError ? e : new TemplateError(messageOf(e), { cause: e });
  const line = at.origin ? at.line : at.line + headerLines;
  let sourceLine = (at.origin?.source ?? text).replace(/\r\n?/g, '\n').split('\n')[line - 1];
  // The first line of a template inside a YAML value starts at its column in the file.
  if (!at.origin && source && line === 1 && sourceLine !== undefined) sourceLine = ' '.repeat(source.col - 1) + sourceLine;
  const location: SourceLocation = at.origin
    ? { file: at.origin.file, line, col: at.col }
    : source
      ? { file: source.file, line: source.line + line - 1, col: line === 1 ? source.col + at.col - 1 : at.col }
      : { file: '<template>', line, col: at.col };
  const options = { location, sourceLine, cause: e };
  if (e instanceof PyUndefinedError) {
    const err = new PyUndefinedError(e.undefinedValue);
    return Object.assign(err, { location, sourceLine });
  }
  if (e instanceof PyError) return new PyError(e.pyName, e.message, options);
  if (e instanceof TemplateSyntaxError) return Object.assign(new TemplateSyntaxError(e.message, at.line, at.col, e.duringRender), { location, sourceLine });
  return new TemplateError(messageOf(e), options);
}

/** A JavaScript stack overflow is Python's RecursionError in Jinja2: say so, not V8's words. */
function messageOf(e: Error): string {
  return e instanceof RangeError && /call stack/i.test(e.message) ? 'the template nests too deeply to evaluate (RecursionError)' : e.message;
}

/** Ansible's is_template: the first begin delimiter is closed by its own end delimiter. */
function isTemplateString(data: string): boolean {
  if (!data.includes('{{') && !data.includes('{%') && !data.includes('{#')) return false;
  let found: string | undefined;
  let comment = false;
  let start = true;
  try {
    for (const token of tokenize(data, ANSIBLE_SYNTAX, {}, true)) {
      const kind = token.type;
      if (kind === 'error') return false;
      if (kind === 'variable_begin' || kind === 'block_begin' || kind === 'comment_begin' || kind === 'raw_begin') {
        if (start && kind === 'comment_begin') comment = true;
        start = false;
        found = kind.split('_')[0];
      } else if (kind === 'variable_end' || kind === 'block_end' || kind === 'comment_end' || kind === 'raw_end') {
        if (kind.split('_')[0] === found) return true;
        if (comment) continue;
        return false;
      }
    }
  } catch (e) {
    if (e instanceof TemplateSyntaxError) return false;
    throw e;
  }
  return false;
}

const attributePaths = new Map<string, (string | number)[]>();

/** jinja2.filters.make_attrgetter's path: dotted parts, integer parts as indexes. */
function attributePath(attribute: string | number): (string | number)[] {
  if (typeof attribute === 'number') return [attribute];
  let path = attributePaths.get(attribute);
  if (!path) {
    path = attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    if (attributePaths.size > 1000) attributePaths.clear();
    attributePaths.set(attribute, path);
  }
  return path;
}

/** One render's state: Ansible's AnsibleContext plus the variable cache Jinja2's frames give. */
class TemplarRenderContext implements RenderContext {
  unsafe = false;
  nativeMarker: string | PyUnsafe | undefined;
  readonly concat: (parts: PyValue[]) => PyValue;
  private readonly cache = new Map<string, PyValue>();
  private env: PluginEnv | undefined;
  readonly globalsOnly: NameResolver;

  constructor(
    private readonly templar: Templar,
    mode: 'eval' | 'text',
    readonly disableLookups: boolean,
  ) {
    this.concat = mode === 'eval' ? evalConcat : textConcat;
    this.globalsOnly = templar;
  }

  get pluginEnv(): PluginEnv {
    return (this.env ??= this.makePluginEnv());
  }

  resolve(name: string): PyValue | undefined {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const entry = this.templar.resolveVariableEntry(name);
    const value = entry === undefined ? this.templar.resolveGlobal(name) : entry.value;
    if (value !== undefined) {
      this.cache.set(name, value);
      if (entry?.unsafe) this.unsafe = true;
    }
    return value;
  }

  loadTemplate(name: PyValue): CompiledTemplate | undefined {
    return this.templar.loadTemplate(name);
  }

  private makePluginEnv(): PluginEnv {
    return new RenderPluginEnv(this.templar, this);
  }
}

const pluginNotFound = (name: string): TemplateSyntaxError => couldNotLoad(name, 1, 1, true);

/** What filters, tests and lookups may ask of the render they run in (registry.ts). */
class RenderPluginEnv implements PluginEnv {
  readonly lookupContext: LookupContext;
  private readonly plugins: PluginRegistry;

  constructor(
    private readonly templar: Templar,
    private readonly ctx: TemplarRenderContext,
  ) {
    this.lookupContext = templar.lookupContext;
    this.plugins = templar.pluginRegistry;
  }

  callFilter(name: string, value: PyValue, call: CallArgs): PyValue {
    const filter = this.plugins.filters[name];
    if (!filter) throw pluginNotFound(name);
    return filter(this, value, call);
  }

  callTest(name: string, value: PyValue, call: CallArgs): PyValue {
    const test = this.plugins.tests[name];
    if (!test) throw pluginNotFound(name);
    return test(this, value, call);
  }

  getAttribute(value: PyValue, attribute: string | number): PyValue {
    let current = value;
    for (const part of attributePath(attribute)) current = getItem(current, part);
    return current;
  }

  renderTemplate(text: string, extraVars?: Map<string, PyValue>, options?: RenderTextOptions): PyValue {
    return (extraVars ? this.templar.withVars(extraVars) : this.templar).renderText(text, options);
  }

  lookupVariable(name: string): PyValue | undefined {
    return this.ctx.resolve(name);
  }

  variableNames(): string[] {
    return this.templar.variableNames();
  }

  warn(message: string): void {
    this.templar.warn(message);
  }
}
