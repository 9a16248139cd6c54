import { PyDict, PyFloat, PyTuple, type PyValue } from '../values.js';
import { dictSet, intFromDigits, isInt, pyNeg, toKey } from '../python/index.js';
import { decodeStringLiteral } from '../syntax/lexer.js';
import { asciiFirst, lazyRegExp, wordAt } from '../unicode_regexp.js';

/**
 * Python's `ast.literal_eval` as Ansible applies it to rendered text (with JSON's
 * true/false/null read as True/False/None, ansible/template/native_helpers.py). Returns
 * undefined wherever Python would raise, so the caller keeps the text. Sets, bytes and
 * complex numbers have no fleet value and also keep the text.
 */
export function literalEval(text: string): PyValue | undefined {
  const parser = new LiteralParser(text);
  try {
    const value = parser.expression();
    parser.skipSpace(true);
    return parser.atEnd() ? value : undefined;
  } catch (e) {
    if (e instanceof NotLiteral) return undefined;
    throw e;
  }
}

class NotLiteral extends Error {}
const fail = (): never => {
  throw new NotLiteral();
};

const CONSTANTS: Record<string, PyValue> = { True: true, False: false, None: null, true: true, false: false, null: null };
const NUMBER =
  /(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?(?:\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?)[jJ]?/y;
const wordChar = asciiFirst(/[A-Za-z_\d]/, lazyRegExp(() => /[\p{L}_\d]/u));

class LiteralParser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** Skips blanks and comments; newlines only inside brackets (or at the very end). */
  skipSpace(end = false): void {
    const t = this.text;
    while (this.pos < t.length) {
      const ch = t[this.pos] as string;
      if (ch === ' ' || ch === '\t' || ch === '\f') this.pos++;
      else if (ch === '\\' && t[this.pos + 1] === '\n') this.pos += 2;
      else if (ch === '#') while (this.pos < t.length && t[this.pos] !== '\n' && t[this.pos] !== '\r') this.pos++;
      else if ((ch === '\n' || ch === '\r') && (this.depth > 0 || end)) this.pos++;
      else break;
    }
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }

  private eat(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }

  expression(): PyValue {
    const ch = this.peek();
    if (ch === '-' || ch === '+') {
      this.pos++;
      const operand = this.atom();
      if (isInt(operand) || operand instanceof PyFloat) return ch === '-' ? pyNeg(operand) : operand;
      return fail();
    }
    const value = this.atom();
    const next = this.peek();
    // Only complex numbers may use binary + and -; fleet has no complex type.
    if (next === '+' || next === '-' || next === '*' || next === '/' || next === '%' || next === '|' || next === '&') fail();
    return value;
  }

  private sequence(close: string): { items: PyValue[]; trailingComma: boolean } {
    const items: PyValue[] = [];
    let trailingComma = false;
    this.depth++;
    while (!this.eat(close)) {
      if (items.length && !trailingComma) fail();
      items.push(this.expression());
      trailingComma = this.eat(',');
      if (!trailingComma && this.peek() !== close) fail();
    }
    this.depth--;
    return { items, trailingComma };
  }

  private atom(): PyValue {
    const ch = this.peek();
    const t = this.text;
    if (ch === '[') {
      this.pos++;
      return this.sequence(']').items;
    }
    if (ch === '(') {
      this.pos++;
      const { items, trailingComma } = this.sequence(')');
      return items.length === 1 && !trailingComma ? (items[0] as PyValue) : new PyTuple(items);
    }
    if (ch === '{') return this.dict();
    if (ch === "'" || ch === '"') return this.strings('');
    const name = wordAt(t, this.pos);
    if (name) {
      const word = name[0];
      const quote = t[this.pos + word.length];
      if ((quote === "'" || quote === '"') && /^(?:[rRuU]|[fF]|[bB]|[rR][bB]|[bB][rR]|[rR][fF]|[fF][rR])$/.test(word)) {
        this.pos += word.length;
        return this.strings(word);
      }
      this.pos += word.length;
      if (word in CONSTANTS) return CONSTANTS[word] as PyValue;
      return fail();
    }
    if (/[0-9.]/.test(ch)) return this.number();
    return fail();
  }

  private number(): PyValue {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    const text = m?.[0] ?? '';
    if (!text || text === '.' || /[jJ]$/.test(text)) fail();
    if (/^\d/.test(text) && wordChar(this.text[this.pos + text.length] ?? '')) fail();
    this.pos += text.length;
    const digits = text.replace(/_/g, '');
    if (/^0[xX]/.test(digits)) return intFromDigits(digits.slice(2), 16);
    if (/^0[oO]/.test(digits)) return intFromDigits(digits.slice(2), 8);
    if (/^0[bB]/.test(digits)) return intFromDigits(digits.slice(2), 2);
    if (/[.eE]/.test(digits)) return new PyFloat(Number(digits.startsWith('.') ? `0${digits}` : digits));
    if (/^0+\d/.test(digits)) fail();
    return intFromDigits(digits, 10);
  }

  /** One or more adjacent string literals (implicit concatenation). */
  private strings(firstPrefix: string): PyValue {
    let out = '';
    let prefix = firstPrefix;
    for (;;) {
      if (/[bBfF]/.test(prefix)) fail();
      out += this.string(/[rR]/.test(prefix));
      this.skipSpace();
      const ch = this.text[this.pos];
      const name = ch === "'" || ch === '"' ? null : wordAt(this.text, this.pos);
      if (ch === "'" || ch === '"') prefix = '';
      else if (name && /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/.test(name[0]) && /['"]/.test(this.text[this.pos + name[0].length] ?? '')) {
        prefix = name[0];
        this.pos += name[0].length;
      } else return out;
    }
  }

  private string(raw: boolean): string {
    const t = this.text;
    const quote = t[this.pos] as string;
    const triple = t.startsWith(quote.repeat(3), this.pos);
    const delim = triple ? quote.repeat(3) : quote;
    let i = this.pos + delim.length;
    let body = '';
    for (;;) {
      if (i >= t.length) fail();
      const c = t[i] as string;
      if (c === '\\') {
        body += t.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (t.startsWith(delim, i)) break;
      if (!triple && (c === '\n' || c === '\r')) fail();
      body += c;
      i++;
    }
    this.pos = i + delim.length;
    if (raw) return body;
    try {
      return decodePythonEscapes(body);
    } catch {
      return fail();
    }
  }

  private dict(): PyValue {
    this.pos++;
    this.depth++;
    const out = new PyDict();
    let first = true;
    while (!this.eat('}')) {
      if (!first && !this.eat(',')) fail();
      if (this.eat('}')) break;
      first = false;
      const key = this.expression();
      // `{a, b}` is a set, which fleet cannot hold.
      if (!this.eat(':')) fail();
      const value = this.expression();
      try {
        toKey(key);
      } catch {
        fail();
      }
      dictSet(out, key, value);
    }
    this.depth--;
    return out;
  }
}

/** Python string-literal escapes (which unlike Jinja2's decoding keep non-ASCII text as is). */
function decodePythonEscapes(body: string): string {
  if (!body.includes('\\')) return body;
  return body.replace(/\\(N\{[^}]*\}|x[0-9a-fA-F]{0,2}|u[0-9a-fA-F]{0,4}|U[0-9a-fA-F]{0,8}|[0-7]{1,3}|[\s\S])/g, (whole) =>
    /^\\[\x00-\x7f]/.test(whole) ? decodeStringLiteral(whole) : whole,
  );
}
