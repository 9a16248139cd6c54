import { PyDict, PyFloat, PyTuple, type PyKey, type PyValue } from '../template/values.js';
import { SIMPLE_ESCAPES } from '../template/python/escapes.js';
import { wordAt } from '../template/unicode_regexp.js';

/**
 * Python's `ast.literal_eval` for the value of an INI inventory variable, as Ansible's INI
 * plugin applies it (`_parse_value`): a Python literal becomes that value, anything else
 * (a syntax error or a non-literal such as `yes`) stays the original text.
 *
 * Values Ansible would go on to choke on (complex numbers, sets, Ellipsis) are kept as text.
 */
export function parseIniValue(text: string): PyValue {
  try {
    const parser = new LiteralParser(tokenize(text.replace(/^[ \t]+/, '')));
    return parser.parseExpression();
  } catch (err) {
    if (err instanceof NotALiteral) return text;
    throw err;
  }
}

class NotALiteral extends Error {}

type Token =
  | { kind: 'num'; value: PyValue }
  | { kind: 'str'; value: string; bytes: boolean }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'end' };

const DIGITS = String.raw`\d(?:_?\d)*`;
const NUMBER = new RegExp(
  String.raw`^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|` +
    String.raw`(?:${DIGITS}\.(?:${DIGITS})?|\.${DIGITS}|${DIGITS})(?:[eE][-+]?${DIGITS})?[jJ]?)`,
);
const STRING_START = /^([rRbBuUfF]{0,2})('''|"""|'|")/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let rest = source;
  while (rest.length > 0) {
    const space = /^[ \t\f]+|^\\\n/.exec(rest);
    if (space) {
      rest = rest.slice(space[0].length);
      continue;
    }
    if (rest[0] === '#') break;
    if (rest[0] === '\n' || rest[0] === '\r') {
      // A newline ends the expression; only trailing blank lines may follow.
      if (rest.trim() !== '' && !rest.trim().startsWith('#')) throw new NotALiteral();
      break;
    }
    const str = STRING_START.exec(rest);
    if (str) {
      const [token, length] = readString(rest, str[1] ?? '', str[2] ?? "'");
      tokens.push(token);
      rest = rest.slice(length);
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ kind: 'num', value: numberValue(num[0]) });
      rest = rest.slice(num[0].length);
      continue;
    }
    const name = wordAt(rest, 0);
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      rest = rest.slice(name[0].length);
      continue;
    }
    tokens.push({ kind: 'op', value: rest[0] as string });
    rest = rest.slice(1);
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

function numberValue(text: string): PyValue {
  const clean = text.replace(/_/g, '');
  if (/[jJ]$/.test(clean)) throw new NotALiteral();
  if (/^0[xX]/.test(clean)) return parseInt(clean.slice(2), 16);
  if (/^0[oO]/.test(clean)) return parseInt(clean.slice(2), 8);
  if (/^0[bB]/.test(clean)) return parseInt(clean.slice(2), 2);
  if (/[.eE]/.test(clean)) return new PyFloat(Number(clean));
  // Python 3 rejects decimal integers with leading zeros (`0755`), except all zeros.
  if (/^0\d/.test(clean) && !/^0+$/.test(clean)) throw new NotALiteral();
  return Number(clean);
}

function readString(source: string, prefix: string, quote: string): [Token, number] {
  const lower = prefix.toLowerCase();
  if (lower.includes('f') || (lower.length === 2 && !(lower.includes('r') && lower.includes('b')))) {
    throw new NotALiteral();
  }
  const raw = lower.includes('r');
  const bytes = lower.includes('b');
  let i = prefix.length + quote.length;
  let body = '';
  while (i < source.length) {
    if (source.startsWith(quote, i)) {
      return [{ kind: 'str', value: raw ? body : unescape(body, bytes), bytes }, i + quote.length];
    }
    const ch = source[i] as string;
    if (ch === '\n' && quote.length === 1) break;
    if (ch === '\\' && i + 1 < source.length) {
      body += ch + source[i + 1];
      i += 2;
      continue;
    }
    body += ch;
    i += 1;
  }
  throw new NotALiteral();
}

function unescape(body: string, bytes: boolean): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|[\s\S])/g, (whole, esc: string) => {
    const simple = SIMPLE_ESCAPES[esc];
    if (simple !== undefined) return simple;
    if (/^[0-7]/.test(esc)) return String.fromCodePoint(parseInt(esc, 8));
    if (esc[0] === 'x') return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (!bytes && (esc[0] === 'u' || esc[0] === 'U')) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    // `\N{name}` needs Unicode's name table, which fleet does not carry; treat as not-a-literal.
    if (!bytes && esc[0] === 'N') throw new NotALiteral();
    if (/^[xuU]/.test(esc) && !bytes) throw new NotALiteral();
    return whole;
  });
}

class LiteralParser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  /** The whole input: one value, or a bare tuple `1, 2`. */
  parseExpression(): PyValue {
    const first = this.parseValue();
    if (!this.isOp(',')) {
      this.expectEnd();
      return first;
    }
    const items = [first];
    while (this.isOp(',')) {
      this.index += 1;
      if (this.peek().kind === 'end') break;
      items.push(this.parseValue());
    }
    this.expectEnd();
    return new PyTuple(items);
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: 'end' };
  }

  private next(): Token {
    const token = this.peek();
    this.index += 1;
    return token;
  }

  private isOp(op: string): boolean {
    const token = this.peek();
    return token.kind === 'op' && token.value === op;
  }

  private expectOp(op: string): void {
    if (!this.isOp(op)) throw new NotALiteral();
    this.index += 1;
  }

  private expectEnd(): void {
    if (this.peek().kind !== 'end') throw new NotALiteral();
  }

  private parseValue(): PyValue {
    const token = this.next();
    switch (token.kind) {
      case 'num':
        return token.value;
      case 'str':
        return this.continueStrings(token);
      case 'name':
        if (token.value === 'True') return true;
        if (token.value === 'False') return false;
        if (token.value === 'None') return null;
        throw new NotALiteral();
      case 'op':
        return this.parseBracketedOrSigned(token.value);
      default:
        throw new NotALiteral();
    }
  }

  /** Adjacent string literals concatenate; mixing bytes and text is a syntax error. */
  private continueStrings(first: { value: string; bytes: boolean }): string {
    let text = first.value;
    for (let token = this.peek(); token.kind === 'str'; token = this.peek()) {
      if (token.bytes !== first.bytes) throw new NotALiteral();
      text += token.value;
      this.index += 1;
    }
    return text;
  }

  private parseBracketedOrSigned(op: string): PyValue {
    if (op === '-' || op === '+') {
      const operand = this.next();
      if (operand.kind !== 'num') throw new NotALiteral();
      if (op === '+') return operand.value;
      if (operand.value instanceof PyFloat) return new PyFloat(-operand.value.value);
      return -(operand.value as number);
    }
    if (op === '[') return this.parseItems(']');
    if (op === '(') {
      if (this.isOp(')')) {
        this.index += 1;
        return new PyTuple([]);
      }
      const first = this.parseValue();
      if (this.isOp(')')) {
        this.index += 1;
        return first;
      }
      this.expectOp(',');
      const rest = this.parseItems(')');
      return new PyTuple([first, ...rest]);
    }
    if (op === '{') return this.parseDict();
    throw new NotALiteral();
  }

  /** Comma-separated values up to `close`, a trailing comma allowed. */
  private parseItems(close: string): PyValue[] {
    const items: PyValue[] = [];
    while (!this.isOp(close)) {
      items.push(this.parseValue());
      if (this.isOp(',')) this.index += 1;
      else if (!this.isOp(close)) throw new NotALiteral();
    }
    this.index += 1;
    return items;
  }

  private parseDict(): PyDict {
    const out = new PyDict();
    while (!this.isOp('}')) {
      const key = this.parseValue();
      // A set literal (`{1, 2}`) is a literal Ansible cannot use; treat it as text.
      if (!this.isOp(':')) throw new NotALiteral();
      this.index += 1;
      if (key instanceof PyDict || Array.isArray(key)) throw new NotALiteral();
      out.set(key as PyKey, this.parseValue());
      if (this.isOp(',')) this.index += 1;
      else if (!this.isOp('}')) throw new NotALiteral();
    }
    this.index += 1;
    return out;
  }
}
