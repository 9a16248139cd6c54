import type { PyValue } from '../values.js';
import type {
  BinaryOp,
  CallArgsNode,
  CompareOp,
  Expr,
  FilterNode,
  MacroSignature,
  OutputItem,
  Pos,
  Stmt,
  Target,
  TemplateAst,
} from './ast.js';
import { TemplateSyntaxError } from './errors.js';
import type { Token, TokenType } from './lexer.js';

/** Jinja2 3.1's parser (jinja2/parser.py), with its precedence and its error messages. */

const STATEMENT_KEYWORDS = new Set(['for', 'if', 'block', 'extends', 'print', 'macro', 'include', 'from', 'import', 'set', 'with', 'autoescape']);
const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);

const TYPE_DESCRIPTIONS: Partial<Record<TokenType, string>> = {
  comment_begin: 'begin of comment',
  comment_end: 'end of comment',
  block_begin: 'begin of statement block',
  block_end: 'end of statement block',
  variable_begin: 'begin of print statement',
  variable_end: 'end of print statement',
  data: 'template data / text',
  eof: 'end of template',
};

/** A token expression as Jinja2 writes them: `name:endfor`, `block_end`, or an operator. */
type TokenExpr = string;

function describeExpr(expr: TokenExpr): string {
  if (expr.startsWith('name:')) return expr.slice(5);
  return TYPE_DESCRIPTIONS[expr as TokenType] ?? expr;
}

function describe(token: Token): string {
  if (token.type === 'name' || token.type === 'operator') return String(token.value);
  return TYPE_DESCRIPTIONS[token.type] ?? token.type;
}

function matches(token: Token, expr: TokenExpr): boolean {
  if (expr.startsWith('name:')) return token.type === 'name' && token.value === expr.slice(5);
  if (token.type === 'operator') return token.value === expr;
  return token.type === expr;
}

const pos = (t: Token): Pos => ({ line: t.line, col: t.col });

export class Parser {
  private index = 0;
  private readonly tagStack: string[] = [];
  private readonly endTokenStack: TokenExpr[][] = [];

  constructor(private readonly tokens: Token[]) {}

  parse(): TemplateAst {
    return { body: this.subparse() };
  }

  /** Parses a lone expression (Jinja2's `Environment.compile_expression`). */
  parseExpressionOnly(): Expr {
    const expr = this.parseTuple();
    if (this.current.type !== 'eof') this.fail(`unexpected ${quote(describe(this.current))}`);
    return expr;
  }

  // ----- token stream -----

  private get current(): Token {
    return this.reached(this.index);
  }

  private look(): Token {
    return this.reached(Math.min(this.index + 1, this.tokens.length - 1));
  }

  private reached(index: number): Token {
    const token = this.tokens[index] as Token;
    if (token.error) throw token.error;
    return token;
  }

  private next(): Token {
    const token = this.current;
    if (token.type !== 'eof') this.index++;
    return token;
  }

  private skipIf(expr: TokenExpr): boolean {
    if (!matches(this.current, expr)) return false;
    this.next();
    return true;
  }

  private expect(expr: TokenExpr): Token {
    if (!matches(this.current, expr)) {
      if (this.current.type === 'eof') this.fail(`unexpected end of template, expected ${quote(describeExpr(expr))}.`);
      this.fail(`expected token ${quote(describeExpr(expr))}, got ${quote(describe(this.current))}`);
    }
    return this.next();
  }

  private fail(message: string, at: Pos = this.current): never {
    throw new TemplateSyntaxError(message, at.line, at.col);
  }

  private failUnknownTag(name: string | null, at: Pos): never {
    const expected = new Set<string>();
    for (const exprs of this.endTokenStack) for (const e of exprs) expected.add(describeExpr(e));
    const top = this.endTokenStack[this.endTokenStack.length - 1];
    const looking = top ? top.map((e) => quote(describeExpr(e))).join(' or ') : undefined;
    const message = [name === null ? 'Unexpected end of template.' : `Encountered unknown tag ${quote(name)}.`];
    if (looking) {
      if (name !== null && expected.has(name)) {
        message.push(`You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for ${looking}.`);
      } else {
        message.push(`Jinja was looking for the following tags: ${looking}.`);
      }
    }
    const innermost = this.tagStack[this.tagStack.length - 1];
    if (innermost !== undefined) message.push(`The innermost block that needs to be closed is ${quote(innermost)}.`);
    this.fail(message.join(' '), at);
  }

  private failEof(endTokens: TokenExpr[]): never {
    this.endTokenStack.push(endTokens);
    this.failUnknownTag(null, this.current);
  }

  // ----- statements -----

  private subparse(endTokens?: TokenExpr[]): Stmt[] {
    const body: Stmt[] = [];
    let data: OutputItem[] = [];
    const flush = (): void => {
      if (data.length) {
        const first = data[0] as OutputItem;
        body.push({ kind: 'output', items: data, line: first.line, col: first.col });
        data = [];
      }
    };
    if (endTokens) this.endTokenStack.push(endTokens);
    try {
      while (this.current.type !== 'eof') {
        const token = this.current;
        if (token.type === 'data') {
          data.push({ kind: 'data', text: token.value as string, ...pos(token) });
          this.next();
        } else if (token.type === 'variable_begin') {
          this.next();
          data.push(this.parseTuple());
          this.expect('variable_end');
        } else if (token.type === 'block_begin') {
          flush();
          this.next();
          if (endTokens && endTokens.some((e) => matches(this.current, e))) return body;
          body.push(...this.parseStatement());
          this.expect('block_end');
        } else {
          this.fail('internal parsing error');
        }
      }
      flush();
    } finally {
      if (endTokens) this.endTokenStack.pop();
    }
    return body;
  }

  private parseStatement(): Stmt[] {
    const token = this.current;
    if (token.type !== 'name') this.fail('tag name expected', token);
    const name = token.value as string;
    this.tagStack.push(name);
    let popTag = true;
    try {
      if (STATEMENT_KEYWORDS.has(name)) return this.parseKeywordStatement(name);
      if (name === 'call') return [this.parseCallBlock()];
      if (name === 'filter') return [this.parseFilterBlock()];
      this.tagStack.pop();
      popTag = false;
      return this.failUnknownTag(name, token);
    } finally {
      if (popTag) this.tagStack.pop();
    }
  }

  private parseKeywordStatement(name: string): Stmt[] {
    switch (name) {
      case 'for':
        return [this.parseFor()];
      case 'if':
        return [this.parseIf()];
      case 'set':
        return [this.parseSet()];
      case 'macro':
        return [this.parseMacro()];
      case 'with':
        return [this.parseWith()];
      case 'include':
        return [this.parseInclude()];
      case 'import':
        return [this.parseImport()];
      case 'from':
        return [this.parseFrom()];
      case 'block':
        return [this.parseBlock()];
      case 'extends': {
        const at = pos(this.next());
        return [{ kind: 'extends', template: this.parseExpression(), ...at }];
      }
      case 'print': {
        const at = pos(this.next());
        const items: Expr[] = [];
        while (this.current.type !== 'block_end') {
          if (items.length) this.expect(',');
          items.push(this.parseExpression());
        }
        return [{ kind: 'output', items, ...at }];
      }
      default: {
        // autoescape: HTML escaping is off in Ansible and the block only scopes it.
        const at = pos(this.next());
        this.parseExpression();
        const body = this.parseStatements(['name:endautoescape'], true);
        return [{ kind: 'with', targets: [], values: [], body, ...at }];
      }
    }
  }

  private parseStatements(endTokens: TokenExpr[], dropNeedle = false): Stmt[] {
    this.skipIf(':');
    this.expect('block_end');
    const result = this.subparse(endTokens);
    if (this.current.type === 'eof') this.failEof(endTokens);
    if (dropNeedle) this.next();
    return result;
  }

  private parseSet(): Stmt {
    const at = pos(this.next());
    const target = this.parseAssignTarget({ withNamespace: true });
    if (this.skipIf('=')) return { kind: 'set', target, expr: this.parseTuple(), ...at };
    const filter = this.parseFilter(undefined) as FilterNode | undefined;
    const body = this.parseStatements(['name:endset'], true);
    return { kind: 'setblock', target, filter, body, ...at };
  }

  private parseFor(): Stmt {
    const at = pos(this.expect('name:for'));
    const target = this.parseAssignTarget({ extraEndRules: ['name:in'] });
    this.expect('name:in');
    const iter = this.parseTuple({ withCondexpr: false, extraEndRules: ['name:recursive'] });
    const test = this.skipIf('name:if') ? this.parseExpression() : undefined;
    const recursive = this.skipIf('name:recursive');
    const body = this.parseStatements(['name:endfor', 'name:else']);
    const els = this.next().value === 'endfor' ? [] : this.parseStatements(['name:endfor'], true);
    return { kind: 'for', target, iter, body, else: els, test, recursive, ...at };
  }

  private parseIf(): Stmt {
    const at = pos(this.expect('name:if'));
    const branches: { test: Expr; body: Stmt[] }[] = [];
    let els: Stmt[] = [];
    for (;;) {
      const test = this.parseTuple({ withCondexpr: false });
      const body = this.parseStatements(['name:elif', 'name:else', 'name:endif']);
      branches.push({ test, body });
      const token = this.next();
      if (matches(token, 'name:elif')) continue;
      if (matches(token, 'name:else')) els = this.parseStatements(['name:endif'], true);
      break;
    }
    return { kind: 'if', branches, else: els, ...at };
  }

  private parseWith(): Stmt {
    const at = pos(this.next());
    const targets: Target[] = [];
    const values: Expr[] = [];
    while (this.current.type !== 'block_end') {
      if (targets.length) this.expect(',');
      targets.push(this.parseAssignTarget());
      this.expect('=');
      values.push(this.parseExpression());
    }
    const body = this.parseStatements(['name:endwith'], true);
    return { kind: 'with', targets, values, body, ...at };
  }

  private parseBlock(): Stmt {
    const at = pos(this.next());
    const name = this.expect('name').value as string;
    const scoped = this.skipIf('name:scoped');
    const required = this.skipIf('name:required');
    if (matches(this.current, '-')) {
      this.fail('Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.');
    }
    const body = this.parseStatements(['name:endblock'], true);
    if (required && !body.every((s) => s.kind === 'output' && s.items.every((i) => i.kind === 'data' && /^\s+$/.test(i.text)))) {
      this.fail('Required blocks can only contain comments or whitespace', at);
    }
    this.skipIf(`name:${name}`);
    return { kind: 'block', name, body, scoped, required, ...at };
  }

  private parseContext(dflt: boolean): boolean {
    if ((matches(this.current, 'name:with') || matches(this.current, 'name:without')) && matches(this.look(), 'name:context')) {
      const withContext = this.next().value === 'with';
      this.next();
      return withContext;
    }
    return dflt;
  }

  private parseInclude(): Stmt {
    const at = pos(this.next());
    const template = this.parseExpression();
    let ignoreMissing = false;
    if (matches(this.current, 'name:ignore') && matches(this.look(), 'name:missing')) {
      ignoreMissing = true;
      this.next();
      this.next();
    }
    return { kind: 'include', template, ignoreMissing, withContext: this.parseContext(true), ...at };
  }

  private parseImport(): Stmt {
    const at = pos(this.next());
    const template = this.parseExpression();
    this.expect('name:as');
    const target = this.expect('name').value as string;
    return { kind: 'import', template, target, withContext: this.parseContext(false), ...at };
  }

  private parseFrom(): Stmt {
    const at = pos(this.next());
    const template = this.parseExpression();
    this.expect('name:import');
    const names: [string, string][] = [];
    let withContext: boolean | undefined;
    const context = (): boolean => {
      if ((this.current.value === 'with' || this.current.value === 'without') && matches(this.look(), 'name:context')) {
        withContext = this.next().value === 'with';
        this.next();
        return true;
      }
      return false;
    };
    for (;;) {
      if (names.length) this.expect(',');
      if (this.current.type !== 'name') {
        this.expect('name');
        break;
      }
      if (context()) break;
      const nameToken = this.expect('name');
      const name = nameToken.value as string;
      if (name.startsWith('_')) this.fail('names starting with an underline can not be imported', nameToken);
      if (this.skipIf('name:as')) names.push([name, this.expect('name').value as string]);
      else names.push([name, name]);
      if (context() || !matches(this.current, ',')) break;
    }
    return { kind: 'fromimport', template, names, withContext: withContext ?? false, ...at };
  }

  private parseSignature(): MacroSignature {
    const params: string[] = [];
    const defaults: Expr[] = [];
    this.expect('(');
    while (!matches(this.current, ')')) {
      if (params.length) this.expect(',');
      const name = this.expect('name').value as string;
      if (this.skipIf('=')) defaults.push(this.parseExpression());
      else if (defaults.length) this.fail('non-default argument follows default argument');
      params.push(name);
    }
    this.expect(')');
    return { params, defaults };
  }

  private parseCallBlock(): Stmt {
    const at = pos(this.next());
    const signature = matches(this.current, '(') ? this.parseSignature() : { params: [], defaults: [] };
    const call = this.parseExpression();
    if (call.kind !== 'call') this.fail('expected call', at);
    const body = this.parseStatements(['name:endcall'], true);
    return { kind: 'callblock', call, body, ...signature, ...at };
  }

  private parseFilterBlock(): Stmt {
    const at = pos(this.next());
    const filter = this.parseFilter(undefined, true) as FilterNode;
    const body = this.parseStatements(['name:endfilter'], true);
    return { kind: 'filterblock', filter, body, ...at };
  }

  private parseMacro(): Stmt {
    const at = pos(this.next());
    const name = this.expect('name').value as string;
    const signature = this.parseSignature();
    const body = this.parseStatements(['name:endmacro'], true);
    return { kind: 'macro', name, body, ...signature, ...at };
  }

  private parseAssignTarget(options: { withNamespace?: boolean; extraEndRules?: TokenExpr[] } = {}): Target {
    const token = this.current;
    if (options.withNamespace && matches(this.look(), '.')) {
      const name = this.expect('name').value as string;
      this.next();
      const attr = this.expect('name').value as string;
      return { kind: 'nsref', name, attr, ...pos(token) };
    }
    const expr = this.parseTuple({ simplified: true, extraEndRules: options.extraEndRules });
    return this.toTarget(expr);
  }

  private toTarget(expr: Expr): Target {
    if (expr.kind === 'name') return { kind: 'name', name: expr.name, line: expr.line, col: expr.col };
    if (expr.kind === 'tuple') return { kind: 'tuple', items: expr.items.map((e) => this.toTarget(e)), line: expr.line, col: expr.col };
    const kind = expr.kind === 'const' ? 'const' : expr.kind;
    return this.fail(`can't assign to ${quote(kind)}`, expr);
  }

  // ----- expressions -----

  private parseExpression(withCondexpr = true): Expr {
    return withCondexpr ? this.parseCondexpr() : this.parseOr();
  }

  private parseCondexpr(): Expr {
    let at = pos(this.current);
    let expr1 = this.parseOr();
    while (this.skipIf('name:if')) {
      const test = this.parseOr();
      const expr2 = this.skipIf('name:else') ? this.parseCondexpr() : undefined;
      expr1 = { kind: 'condexpr', test, expr1, expr2, ...at };
      at = pos(this.current);
    }
    return expr1;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    for (let at = pos(this.current); this.skipIf('name:or'); at = pos(this.current)) {
      left = { kind: 'or', left, right: this.parseAnd(), ...at };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    for (let at = pos(this.current); this.skipIf('name:and'); at = pos(this.current)) {
      left = { kind: 'and', left, right: this.parseNot(), ...at };
    }
    return left;
  }

  private parseNot(): Expr {
    if (matches(this.current, 'name:not')) {
      const at = pos(this.next());
      return { kind: 'not', node: this.parseNot(), ...at };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const at = pos(this.current);
    const first = this.parseMath1();
    const ops: { op: CompareOp; expr: Expr }[] = [];
    for (;;) {
      const token = this.current;
      if (token.type === 'operator' && COMPARE_OPS.has(token.value as string)) {
        this.next();
        ops.push({ op: token.value as CompareOp, expr: this.parseMath1() });
      } else if (this.skipIf('name:in')) {
        ops.push({ op: 'in', expr: this.parseMath1() });
      } else if (matches(token, 'name:not') && matches(this.look(), 'name:in')) {
        this.next();
        this.next();
        ops.push({ op: 'notin', expr: this.parseMath1() });
      } else break;
    }
    return ops.length ? { kind: 'compare', first, ops, ...at } : first;
  }

  private parseBinary(ops: string[], operand: () => Expr): Expr {
    let left = operand();
    for (;;) {
      const token = this.current;
      if (token.type !== 'operator' || !ops.includes(token.value as string)) return left;
      this.next();
      left = { kind: 'binop', op: token.value as BinaryOp, left, right: operand(), ...pos(token) };
    }
  }

  private parseMath1(): Expr {
    return this.parseBinary(['+', '-'], () => this.parseConcat());
  }

  private parseConcat(): Expr {
    const at = pos(this.current);
    const items = [this.parseMath2()];
    while (this.skipIf('~')) items.push(this.parseMath2());
    return items.length === 1 ? (items[0] as Expr) : { kind: 'concat', items, ...at };
  }

  private parseMath2(): Expr {
    return this.parseBinary(['*', '/', '//', '%'], () => this.parsePow());
  }

  private parsePow(): Expr {
    return this.parseBinary(['**'], () => this.parseUnary());
  }

  private parseUnary(withFilter = true): Expr {
    const token = this.current;
    let node: Expr;
    if (matches(token, '-') || matches(token, '+')) {
      this.next();
      node = { kind: token.value === '-' ? 'neg' : 'pos', node: this.parseUnary(false), ...pos(token) };
    } else {
      node = this.parsePrimary();
    }
    node = this.parsePostfix(node);
    return withFilter ? this.parseFilterExpr(node) : node;
  }

  private parsePrimary(): Expr {
    const token = this.current;
    const at = pos(token);
    switch (token.type) {
      case 'name': {
        this.next();
        const name = token.value as string;
        if (name === 'true' || name === 'True') return { kind: 'const', value: true, ...at };
        if (name === 'false' || name === 'False') return { kind: 'const', value: false, ...at };
        if (name === 'none' || name === 'None') return { kind: 'const', value: null, ...at };
        return { kind: 'name', name, ...at };
      }
      case 'string': {
        let value = '';
        while (this.current.type === 'string') value += this.next().value as string;
        return { kind: 'const', value, ...at };
      }
      case 'integer':
      case 'float':
        this.next();
        return { kind: 'const', value: token.value as PyValue, ...at };
      case 'operator':
        if (token.value === '(') {
          this.next();
          const node = this.parseTuple({ explicitParentheses: true });
          this.expect(')');
          return node;
        }
        if (token.value === '[') return this.parseList();
        if (token.value === '{') return this.parseDict();
        break;
      default:
        break;
    }
    return this.fail(`unexpected ${quote(describe(token))}`, token);
  }

  private isTupleEnd(extraEndRules?: TokenExpr[]): boolean {
    const t = this.current;
    if (t.type === 'variable_end' || t.type === 'block_end' || matches(t, ')')) return true;
    return extraEndRules?.some((e) => matches(t, e)) ?? false;
  }

  private parseTuple(
    options: { simplified?: boolean; withCondexpr?: boolean; extraEndRules?: TokenExpr[]; explicitParentheses?: boolean } = {},
  ): Expr {
    let at = pos(this.current);
    const parse = options.simplified
      ? (): Expr => this.parsePrimary()
      : (): Expr => this.parseExpression(options.withCondexpr ?? true);
    const items: Expr[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length) this.expect(',');
      if (this.isTupleEnd(options.extraEndRules)) break;
      items.push(parse());
      if (matches(this.current, ',')) isTuple = true;
      else break;
      at = pos(this.current);
    }
    if (!isTuple) {
      if (items.length) return items[0] as Expr;
      if (!options.explicitParentheses) this.fail(`Expected an expression, got ${quote(describe(this.current))}`);
    }
    return { kind: 'tuple', items, ...at };
  }

  private parseList(): Expr {
    const at = pos(this.expect('['));
    const items: Expr[] = [];
    while (!matches(this.current, ']')) {
      if (items.length) this.expect(',');
      if (matches(this.current, ']')) break;
      items.push(this.parseExpression());
    }
    this.expect(']');
    return { kind: 'list', items, ...at };
  }

  private parseDict(): Expr {
    const at = pos(this.expect('{'));
    const items: [Expr, Expr][] = [];
    while (!matches(this.current, '}')) {
      if (items.length) this.expect(',');
      if (matches(this.current, '}')) break;
      const key = this.parseExpression();
      this.expect(':');
      items.push([key, this.parseExpression()]);
    }
    this.expect('}');
    return { kind: 'dict', items, ...at };
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      if (matches(this.current, '.') || matches(this.current, '[')) node = this.parseSubscript(node);
      else if (matches(this.current, '(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseFilterExpr(node: Expr): Expr {
    for (;;) {
      if (matches(this.current, '|')) node = this.parseFilter(node) as Expr;
      else if (matches(this.current, 'name:is')) node = this.parseTest(node);
      else if (matches(this.current, '(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseSubscript(node: Expr): Expr {
    const token = this.next();
    const at = pos(token);
    if (token.value === '.') {
      const attr = this.next();
      if (attr.type === 'name') return { kind: 'getattr', node, attr: attr.value as string, ...at };
      if (attr.type !== 'integer') this.fail('expected name or number', attr);
      return { kind: 'getitem', node, arg: { kind: 'const', value: attr.value as number, ...pos(attr) }, ...at };
    }
    const args: Expr[] = [];
    while (!matches(this.current, ']')) {
      if (args.length) this.expect(',');
      args.push(this.parseSubscribed());
    }
    this.expect(']');
    const arg = args.length === 1 ? (args[0] as Expr) : ({ kind: 'tuple', items: args, ...at } as Expr);
    return { kind: 'getitem', node, arg, ...at };
  }

  private parseSubscribed(): Expr {
    const at = pos(this.current);
    const parts: (Expr | undefined)[] = [];
    if (matches(this.current, ':')) {
      this.next();
      parts.push(undefined);
    } else {
      const node = this.parseExpression();
      if (!matches(this.current, ':')) return node;
      this.next();
      parts.push(node);
    }
    const endsPart = (): boolean => matches(this.current, ']') || matches(this.current, ',');
    if (matches(this.current, ':')) parts.push(undefined);
    else if (!endsPart()) parts.push(this.parseExpression());
    else parts.push(undefined);
    if (matches(this.current, ':')) {
      this.next();
      parts.push(endsPart() ? undefined : this.parseExpression());
    } else parts.push(undefined);
    return { kind: 'slice', start: parts[0], stop: parts[1], step: parts[2], ...at };
  }

  private parseCallArgs(): CallArgsNode {
    const token = this.expect('(');
    const result: CallArgsNode = { args: [], kwargs: [] };
    const ensure = (ok: boolean): void => {
      if (!ok) this.fail('invalid syntax for function call expression', token);
    };
    let requireComma = false;
    while (!matches(this.current, ')')) {
      if (requireComma) {
        this.expect(',');
        if (matches(this.current, ')')) break;
      }
      if (matches(this.current, '*')) {
        ensure(result.dynArgs === undefined && result.dynKwargs === undefined);
        this.next();
        result.dynArgs = this.parseExpression();
      } else if (matches(this.current, '**')) {
        ensure(result.dynKwargs === undefined);
        this.next();
        result.dynKwargs = this.parseExpression();
      } else if (this.current.type === 'name' && matches(this.look(), '=')) {
        ensure(result.dynKwargs === undefined);
        const key = this.next().value as string;
        this.next();
        result.kwargs.push([key, this.parseExpression()]);
      } else {
        ensure(result.dynArgs === undefined && result.dynKwargs === undefined && result.kwargs.length === 0);
        result.args.push(this.parseExpression());
      }
      requireComma = true;
    }
    this.expect(')');
    return result;
  }

  private parseCall(node: Expr): Expr {
    const at = pos(this.current);
    return { kind: 'call', node, ...this.parseCallArgs(), ...at };
  }

  private parseDottedName(): string {
    let name = this.expect('name').value as string;
    while (matches(this.current, '.')) {
      this.next();
      name += `.${this.expect('name').value as string}`;
    }
    return name;
  }

  private parseFilter(node: Expr | undefined, startInline = false): Expr | undefined {
    let result = node;
    while (matches(this.current, '|') || startInline) {
      if (!startInline) this.next();
      const at = pos(this.current);
      const name = this.parseDottedName();
      const call = matches(this.current, '(') ? this.parseCallArgs() : { args: [], kwargs: [] };
      result = { kind: 'filter', node: result, name, ...call, ...at };
      startInline = false;
    }
    return result;
  }

  private parseTest(node: Expr): Expr {
    const at = pos(this.next());
    const negated = this.skipIf('name:not');
    const name = this.parseDottedName();
    let call: CallArgsNode = { args: [], kwargs: [] };
    const t = this.current;
    if (matches(t, '(')) call = this.parseCallArgs();
    else if (
      (t.type === 'name' || t.type === 'string' || t.type === 'integer' || t.type === 'float' || matches(t, '[') || matches(t, '{')) &&
      !matches(t, 'name:else') &&
      !matches(t, 'name:or') &&
      !matches(t, 'name:and')
    ) {
      if (matches(t, 'name:is')) this.fail('You cannot chain multiple tests with is');
      call = { args: [this.parsePostfix(this.parsePrimary())], kwargs: [] };
    }
    const test: Expr = { kind: 'test', node, name, ...call, ...at };
    return negated ? { kind: 'not', node: test, ...at } : test;
  }
}

function quote(text: string): string {
  return text.includes("'") && !text.includes('"') ? `"${text}"` : `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
