import { PyFloat } from '../values.js';
import { PY_WHITESPACE } from '../python/text.js';
import { intFromDigits, type PyInt } from '../python/types.js';
import { TemplateSyntaxError } from './errors.js';
import { SIMPLE_ESCAPES } from '../python/escapes.js';
import { identifierAt } from '../unicode_regexp.js';

/**
 * Jinja2 3.1's lexer (jinja2/lexer.py), rule for rule: delimiters with `-`/`+` whitespace
 * control, trim_blocks/lstrip_blocks, `raw` blocks, brace balancing inside tags, and Python
 * literal decoding of strings and numbers.
 */

export interface SyntaxConfig {
  blockStart: string;
  blockEnd: string;
  variableStart: string;
  variableEnd: string;
  commentStart: string;
  commentEnd: string;
  trimBlocks: boolean;
  lstripBlocks: boolean;
  newlineSequence: string;
  keepTrailingNewline: boolean;
}

/** Jinja2's Environment delimiter parameters (the names Ansible's options and `#jinja2:` lines use). */
export const DELIMITER_OPTIONS = {
  block_start_string: 'blockStart',
  block_end_string: 'blockEnd',
  variable_start_string: 'variableStart',
  variable_end_string: 'variableEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
} as const;
export type Delimiters = Partial<Pick<SyntaxConfig, (typeof DELIMITER_OPTIONS)[keyof typeof DELIMITER_OPTIONS]>>;

/** Ansible's AnsibleEnvironment: Jinja2 defaults plus trim_blocks (ansible/template/__init__.py). */
export const ANSIBLE_SYNTAX: SyntaxConfig = {
  blockStart: '{%',
  blockEnd: '%}',
  variableStart: '{{',
  variableEnd: '}}',
  commentStart: '{#',
  commentEnd: '#}',
  trimBlocks: true,
  lstripBlocks: false,
  newlineSequence: '\n',
  keepTrailingNewline: false,
};

export type TokenType =
  | 'data'
  | 'variable_begin'
  | 'variable_end'
  | 'block_begin'
  | 'block_end'
  | 'comment_begin'
  | 'comment_end'
  | 'raw_begin'
  | 'raw_end'
  | 'name'
  | 'string'
  | 'integer'
  | 'float'
  | 'operator'
  | 'eof'
  /** A lexing failure, raised only when the parser reaches it (Jinja2 lexes lazily). */
  | 'error';

export interface Token {
  type: TokenType;
  /** name/data text, decoded string, number (integer) or PyFloat; the operator text for operators. */
  value: string | PyInt | PyFloat;
  /** Offset of the token in the (newline-normalized) source. */
  pos: number;
  line: number;
  col: number;
  error?: TemplateSyntaxError;
}

const WS = `[${PY_WHITESPACE.replace(/[\\\]^-]/g, '\\$&')}]`;
const WS_RUN = new RegExp(`${WS}+`, 'y');
const WS_ONLY = new RegExp(`^${WS}+$`);
const WS_TRAILING = new RegExp(`${WS}+$`);
const FLOAT = /(?<!\.)(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?[eE][+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/y;
const INTEGER = /(?:0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[\da-fA-F])+|[1-9](?:_?\d)*|0(?:_?0)*)/y;
const STRING = /'([^'\\]*(?:\\[\s\S][^'\\]*)*)'|"([^"\\]*(?:\\[\s\S][^"\\]*)*)"/y;
const OPERATOR = /\/\/|\*\*|==|!=|>=|<=|[+\-/*%~[\](){}><=.:|,;]/y;
const CLOSERS: Record<string, string> = { '{': '}', '(': ')', '[': ']' };

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Rules {
  root: RegExp;
  rootGroups: { type: TokenType; group: number; signGroup: number }[];
  commentEnd: RegExp;
  blockEnd: RegExp;
  variableEnd: RegExp;
  rawEnd: RegExp;
}

const rulesCache = new Map<string, Rules>();

function rulesFor(config: SyntaxConfig): Rules {
  const key = JSON.stringify(config);
  const cached = rulesCache.get(key);
  if (cached) return cached;
  const bs = esc(config.blockStart);
  const be = esc(config.blockEnd);
  const suffix = config.trimBlocks ? '\\n?' : '';
  // Jinja2 sorts the begin rules by delimiter length, then by name, both descending.
  const begins = (
    [
      ['comment_begin', config.commentStart],
      ['block_begin', config.blockStart],
      ['variable_begin', config.variableStart],
    ] as [TokenType, string][]
  ).sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? 1 : -1));
  const alternatives = [`(${bs}(-|\\+|)${WS}*raw${WS}*(?:-${be}${WS}*|${be}))`];
  const rootGroups = [{ type: 'raw_begin' as TokenType, group: 1, signGroup: 2 }];
  begins.forEach(([type, delim], i) => {
    alternatives.push(`(${esc(delim)}(-|\\+|))`);
    rootGroups.push({ type, group: 3 + i * 2, signGroup: 4 + i * 2 });
  });
  const rules: Rules = {
    root: new RegExp(alternatives.join('|'), 'g'),
    rootGroups,
    commentEnd: new RegExp(`\\+${esc(config.commentEnd)}|-${esc(config.commentEnd)}${WS}*|${esc(config.commentEnd)}${suffix}`, 'g'),
    blockEnd: new RegExp(`\\+${be}|-${be}${WS}*|${be}${suffix}`, 'y'),
    variableEnd: new RegExp(`-${esc(config.variableEnd)}${WS}*|${esc(config.variableEnd)}`, 'y'),
    rawEnd: new RegExp(`${bs}(-|\\+|)${WS}*endraw${WS}*(?:\\+${be}|-${be}${WS}*|${be}${suffix})`, 'g'),
  };
  rulesCache.set(key, rules);
  return rules;
}

/** The source as Jinja2 lexes it: newlines normalized, one trailing newline dropped. */
export function normalizeSource(source: string, config: SyntaxConfig): string {
  let text = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
  if (!config.keepTrailingNewline && text.endsWith('\n')) text = text.slice(0, -1);
  return text;
}

export interface LexOptions {
  /** Collects the [start, end) offsets of string literals inside `{{ }}` (for escapeBackslashes). */
  variableStringSpans?: [number, number][];
}

/**
 * Splits a template into tokens. Whitespace and comments are dropped, as Jinja2's
 * `Lexer.wrap` does, unless `keepAll` (for Ansible's is_template check). A lexing error
 * ends the list as an `error` token, so that an earlier parse error is reported first.
 */
export function tokenize(source: string, config: SyntaxConfig, options: LexOptions = {}, keepAll = false): Token[] {
  const tokens: Token[] = [];
  try {
    lex(source, config, options, keepAll, tokens);
  } catch (e) {
    if (!(e instanceof TemplateSyntaxError)) throw e;
    tokens.push({ type: 'error', value: '', pos: -1, line: e.templateLine, col: e.templateCol, error: e });
  }
  return tokens;
}

function lex(source: string, config: SyntaxConfig, options: LexOptions, keepAll: boolean, tokens: Token[]): void {
  const text = normalizeSource(source, config);
  const rules = rulesFor(config);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineAt = (pos: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const fail = (message: string, pos: number): never => {
    throw new TemplateSyntaxError(message, lineAt(pos), pos - (lineStarts[lineAt(pos) - 1] as number) + 1);
  };
  const push = (type: TokenType, value: Token['value'], pos: number): void => {
    const line = lineAt(pos);
    tokens.push({ type, value, pos, line, col: pos - (lineStarts[line - 1] as number) + 1 });
  };
  const pushData = (data: string, pos: number): void => {
    if (data === '') return;
    push('data', config.newlineSequence === '\n' ? data : data.replace(/\n/g, config.newlineSequence), pos);
  };
  /** OptionalLStrip: `-` strips the text's trailing whitespace, lstrip_blocks the indentation. */
  const stripData = (data: string, sign: string, isVariable: boolean, lineStarting: boolean): string => {
    if (sign === '-') return data.replace(WS_TRAILING, '');
    if (sign !== '+' && config.lstripBlocks && !isVariable) {
      const lPos = data.lastIndexOf('\n') + 1;
      if ((lPos > 0 || lineStarting) && WS_ONLY.test(data.slice(lPos))) return data.slice(0, lPos);
    }
    return data;
  };

  let pos = 0;
  let lineStarting = true;
  const n = text.length;
  while (pos < n) {
    rules.root.lastIndex = pos;
    const m = rules.root.exec(text);
    if (!m) {
      pushData(text.slice(pos), pos);
      break;
    }
    const begin = rules.rootGroups.find((g) => m[g.group] !== undefined) as Rules['rootGroups'][number];
    const sign = m[begin.signGroup] ?? '';
    const data = stripData(text.slice(pos, m.index), sign, begin.type === 'variable_begin', lineStarting);
    pushData(data, pos);
    if (keepAll || begin.type === 'variable_begin' || begin.type === 'block_begin') push(begin.type, m[0], m.index);
    pos = m.index + m[0].length;
    lineStarting = m[0].endsWith('\n');
    switch (begin.type) {
      case 'raw_begin': {
        rules.rawEnd.lastIndex = pos;
        const end = rules.rawEnd.exec(text);
        if (!end) fail('Missing end of raw directive', pos);
        const e = end as RegExpExecArray;
        pushData(stripData(text.slice(pos, e.index), e[1] ?? '', false, lineStarting), pos);
        if (keepAll) push('raw_end', e[0], e.index);
        pos = e.index + e[0].length;
        lineStarting = e[0].endsWith('\n');
        break;
      }
      case 'comment_begin': {
        rules.commentEnd.lastIndex = pos;
        const end = rules.commentEnd.exec(text);
        if (!end) fail('Missing end of comment tag', pos);
        const e = end as RegExpExecArray;
        if (keepAll) push('comment_end', e[0], e.index);
        pos = e.index + e[0].length;
        lineStarting = e[0].endsWith('\n');
        break;
      }
      default: {
        const isVariable = begin.type === 'variable_begin';
        const result = lexTag(text, pos, isVariable ? rules.variableEnd : rules.blockEnd, isVariable, options, push, fail);
        pos = result.pos;
        lineStarting = result.lineStarting;
        if (result.pos >= n && !result.closed) {
          push('eof', '', n);
          return;
        }
      }
    }
  }
  push('eof', '', n);
}

function lexTag(
  text: string,
  start: number,
  endRule: RegExp,
  isVariable: boolean,
  options: LexOptions,
  push: (type: TokenType, value: Token['value'], pos: number) => void,
  fail: (message: string, pos: number) => never,
): { pos: number; closed: boolean; lineStarting: boolean } {
  const balancing: string[] = [];
  let pos = start;
  let lineStarting = false;
  const n = text.length;
  const at = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = pos;
    return re.exec(text);
  };
  while (pos < n) {
    let m: RegExpExecArray | null;
    if (balancing.length === 0 && (m = at(endRule))) {
      push(isVariable ? 'variable_end' : 'block_end', m[0], pos);
      pos += m[0].length;
      return { pos, closed: true, lineStarting: m[0].endsWith('\n') };
    }
    if ((m = at(WS_RUN))) {
      lineStarting = m[0].endsWith('\n');
      pos += m[0].length;
      continue;
    }
    lineStarting = false;
    if ((m = at(FLOAT))) {
      push('float', new PyFloat(Number(m[0].replace(/_/g, ''))), pos);
    } else if ((m = at(INTEGER))) {
      push('integer', parseInteger(m[0]), pos);
    } else if ((m = identifierAt(text, pos))) {
      push('name', m[0], pos);
    } else if ((m = at(STRING))) {
      if (isVariable) options.variableStringSpans?.push([pos, pos + m[0].length]);
      let value: string;
      try {
        value = decodeStringLiteral(m[0].slice(1, -1));
      } catch (e) {
        return fail((e as Error).message, pos);
      }
      push('string', value, pos);
    } else if ((m = at(OPERATOR))) {
      const op = m[0];
      if (op in CLOSERS) balancing.push(CLOSERS[op] as string);
      else if (op === '}' || op === ')' || op === ']') {
        const expected = balancing.pop();
        if (expected === undefined) fail(`unexpected '${op}'`, pos);
        if (expected !== op) fail(`unexpected '${op}', expected '${expected}'`, pos);
      }
      push('operator', op, pos);
    } else {
      fail(`unexpected char ${strReprChar(text[pos] as string)} at ${pos}`, pos);
    }
    pos += (m as RegExpExecArray)[0].length;
  }
  return { pos, closed: false, lineStarting };
}

/**
 * Ansible's _escape_backslashes (ansible/template/__init__.py): backslashes in string literals
 * inside `{{ }}` are doubled, so `"{{ 'a\\b' }}"` in YAML means the same as in Python. Like
 * Ansible, the result is the re-assembled (newline-normalized) source, lexed again afterwards.
 */
export function escapeBackslashes(source: string, config: SyntaxConfig): string {
  if (!source.includes('\\') || !source.includes(config.variableStart)) return source;
  const spans: [number, number][] = [];
  const failed = tokenize(source, config, { variableStringSpans: spans }).find((t) => t.error);
  if (failed?.error) throw failed.error;
  const text = normalizeSource(source, config);
  let out = '';
  let last = 0;
  for (const [start, end] of spans) {
    out += text.slice(last, start) + text.slice(start, end).replace(/\\/g, '\\\\');
    last = end;
  }
  return out + text.slice(last);
}

function strReprChar(ch: string): string {
  return ch === "'" ? `"'"` : `'${ch.replace(/\\/g, '\\\\')}'`;
}

function parseInteger(text: string): PyInt {
  const digits = text.replace(/_/g, '').toLowerCase();
  if (digits.startsWith('0b')) return intFromDigits(digits.slice(2), 2);
  if (digits.startsWith('0o')) return intFromDigits(digits.slice(2), 8);
  if (digits.startsWith('0x')) return intFromDigits(digits.slice(2), 16);
  return intFromDigits(digits, 10);
}

/**
 * Python's `body.encode('ascii', 'backslashreplace').decode('unicode-escape')`, which is how
 * Jinja2 decodes string literals (so `'\é'` keeps a literal backslash, as in Jinja2).
 */
export function decodeStringLiteral(body: string): string {
  if (!body.includes('\\')) return body;
  let ascii = '';
  for (const ch of body) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) ascii += ch;
    else if (code < 0x100) ascii += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) ascii += `\\u${code.toString(16).padStart(4, '0')}`;
    else ascii += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  let out = '';
  for (let i = 0; i < ascii.length; i++) {
    const ch = ascii[i] as string;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = ascii[i + 1];
    if (next === undefined) throw new Error('\\ at end of string');
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i++;
    } else if (next >= '0' && next <= '7') {
      const oct = /^[0-7]{1,3}/.exec(ascii.slice(i + 1))?.[0] as string;
      out += String.fromCodePoint(parseInt(oct, 8));
      i += oct.length;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = ascii.slice(i + 2, i + 2 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length < len) {
        throw new Error(`truncated \\${next === 'x' ? 'xXX' : next === 'u' ? 'uXXXX' : 'UXXXXXXXX'} escape`);
      }
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw new Error('illegal Unicode character');
      out += String.fromCodePoint(code);
      i += 1 + len;
    } else if (next === 'N') {
      throw new Error('malformed \\N character escape');
    } else {
      out += `\\${next}`;
      i++;
    }
  }
  return out;
}
