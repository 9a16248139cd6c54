import { PyError } from '../python/index.js';
import { PluginError } from './common.js';

/**
 * Python `re` patterns run on JavaScript's RegExp. The two dialects differ in ways
 * templates meet: `(?P<name>…)`, `\Z`, inline `(?i)`/`(?m)`/`(?s)`/`(?x)` flags, Unicode
 * `\d`/`\w`/`\b`, `.` and `$` around newlines, literal `{` and `\-` escapes. The pattern is
 * rewritten token by token into an equivalent `u`-mode RegExp; `^`/`$` are spelled as
 * lookarounds so that only "\n" counts as a line end, as in Python.
 * https://docs.python.org/3.11/library/re.html
 */
export interface PyRegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
  dotall?: boolean;
  verbose?: boolean;
}

export interface PyRegex {
  regex: RegExp;
  /** Number of capturing groups, named ones included. */
  groups: number;
  /** Group names and their numbers. */
  names: Map<string, number>;
}

export const reError = (message: string): PluginError => new PluginError('error', message);

const WORD = '[\\p{L}\\p{N}_]';
const WORD_CLASS_BODY = '\\p{L}\\p{N}_';
const SYNTAX = new Set('^$\\.*+?()[]{}|/');

/** Outside a class `-` is plain text: u-mode refuses the `\\-` Python's re.escape writes. */
function literal(ch: string): string {
  return SYNTAX.has(ch) ? `\\${ch}` : ch;
}

function classLiteral(ch: string): string {
  return '\\^-[]'.includes(ch) ? `\\${ch}` : ch;
}

/** The flags an expression sets at its very start, `(?aiLmsux)`. */
function leadingFlags(pattern: string, flags: PyRegexFlags): { rest: string; flags: PyRegexFlags } {
  const out = { ...flags };
  let rest = pattern;
  for (;;) {
    const m = /^\(\?([aiLmsux]+)\)/.exec(rest);
    if (!m) break;
    for (const f of m[1] ?? '') {
      if (f === 'i') out.ignorecase = true;
      if (f === 'm') out.multiline = true;
      if (f === 's') out.dotall = true;
      if (f === 'x') out.verbose = true;
    }
    rest = rest.slice(m[0].length);
  }
  if (/\(\?[aiLmsux]+\)/.test(rest)) {
    const at = pattern.length - rest.length + rest.search(/\(\?[aiLmsux]+\)/);
    throw reError(`global flags not at the start of the expression at position ${at}`);
  }
  return { rest, flags: out };
}

/** A simple escape (`\n`, `\x41`, `\u0041`, `\U0001F600`, `\0`, `\012`) as its character. */
function escapedChar(pattern: string, i: number): { ch: string; length: number } | undefined {
  const c = pattern[i + 1] ?? '';
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07' };
  if (c in simple) return { ch: simple[c] ?? '', length: 2 };
  const hex = (n: number): { ch: string; length: number } | undefined => {
    const digits = pattern.slice(i + 2, i + 2 + n);
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw reError(`incomplete escape \\${c}${digits} at position ${i}`);
    return { ch: String.fromCodePoint(parseInt(digits, 16)), length: 2 + n };
  };
  if (c === 'x') return hex(2);
  if (c === 'u') return hex(4);
  if (c === 'U') return hex(8);
  const octal = /^0[0-7]{0,2}|^[0-7]{3}/.exec(pattern.slice(i + 1));
  if (octal && (c === '0' || octal[0].length === 3)) return { ch: String.fromCodePoint(parseInt(octal[0], 8)), length: 1 + octal[0].length };
  return undefined;
}

function translateClass(pattern: string, start: number): { text: string; end: number } {
  let i = start + 1;
  let out = '[';
  if (pattern[i] === '^') {
    out += '^';
    i++;
  }
  let first = true;
  // A '-' right after a class escape (`[\w-.]`) is a literal in Python, a bad range in JS.
  let afterClassEscape = false;
  while (i < pattern.length) {
    const ch = pattern[i] ?? '';
    if (ch === ']' && !first) return { text: `${out}]`, end: i + 1 };
    first = false;
    const wasClassEscape = afterClassEscape;
    afterClassEscape = false;
    if (ch === '\\') {
      const c = pattern[i + 1] ?? '';
      const escaped = escapedChar(pattern, i);
      if (escaped) {
        out += classLiteral(escaped.ch);
        i += escaped.length;
        continue;
      }
      const classEscapes: Record<string, string> = { d: '\\p{Nd}', D: '\\P{Nd}', w: WORD_CLASS_BODY, W: '\\W', s: '\\s', S: '\\S' };
      const classEscape = classEscapes[c];
      if (classEscape) {
        out += classEscape;
        afterClassEscape = true;
      } else if (c === 'b') out += '\\x08';
      else if (/[A-Za-z0-9]/.test(c)) throw reError(`bad escape \\${c} at position ${i}`);
      else out += classLiteral(c);
      i += 2;
      continue;
    }
    if (ch === '[' && /^\[[:=.]/.test(pattern.slice(i))) out += '\\[';
    else out += ch === '-' ? (wasClassEscape || pattern[i + 1] === '\\' && /[dDwWsS]/.test(pattern[i + 2] ?? '') ? '\\-' : '-') : classLiteral(ch);
    i++;
  }
  throw reError(`unterminated character set at position ${start}`);
}

/** What precedes a position, for sre_parse's "nothing to repeat" and "multiple repeat" checks. */
type RepeatState = 'nothing' | 'item' | 'repeat' | 'modified repeat';

const REPEAT_BRACES = /^\{[0-9]*(?:,[0-9]*)?\}/;

/**
 * sre_parse refuses a quantifier with nothing before it (start, `(`, `|`, an anchor) or
 * after another one (`a**`; a lazy `?` or possessive `+` may follow once). JavaScript's
 * errors differ, and the varnames lookup's message quotes Python's.
 */
function checkRepeats(source: string, offset: number): void {
  let state: RepeatState = 'nothing';
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? '';
    const braces = ch === '{' ? REPEAT_BRACES.exec(source.slice(i)) : null;
    if (ch === '*' || ch === '+' || ch === '?' || (braces && braces[0] !== '{}')) {
      if (state === 'nothing') throw reError(`nothing to repeat at position ${i + offset}`);
      const modifier: boolean = state === 'repeat' && (ch === '?' || ch === '+');
      if (state !== 'item' && !modifier) throw reError(`multiple repeat at position ${i + offset}`);
      state = modifier ? 'modified repeat' : 'repeat';
      i += braces ? braces[0].length : 1;
    } else if (ch === '\\') {
      state = /[bBAZ]/.test(source[i + 1] ?? '') ? 'nothing' : 'item';
      i += 2;
    } else if (ch === '[') {
      i = translateClass(source, i).end;
      state = 'item';
    } else if (ch === '(') {
      const close = source.indexOf(')', i);
      if (/^\(\?(#|[aiLmsux-]+\))/.test(source.slice(i)) && close > 0) {
        // A comment leaves what came before it; inline flags are like an anchor.
        if (source[i + 2] !== '#') state = 'nothing';
        i = close + 1;
      } else if (source.startsWith('(?P=', i) && close > 0) {
        state = 'item';
        i = close + 1;
      } else {
        state = 'nothing';
        i += /^\(\?(P<[^>]*>|<[=!]|[:=!>]|[aiLmsux-]*:)?/.exec(source.slice(i))?.[0].length ?? 1;
      }
    } else {
      state = ch === '|' || ch === '^' || ch === '$' ? 'nothing' : 'item';
      i += 1;
    }
  }
}

export function compilePyRegex(pattern: string, initialFlags: PyRegexFlags = {}): PyRegex {
  const { rest, flags } = leadingFlags(pattern, initialFlags);
  const names = new Map<string, number>();
  let groups = 0;
  let out = '';
  const source = flags.verbose ? stripVerbose(rest) : rest;
  checkRepeats(source, pattern.length - rest.length);
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? '';
    if (ch === '\\') {
      const c = source[i + 1] ?? '';
      if (c === '') throw reError(`bad escape (end of pattern) at position ${i}`);
      const escaped = escapedChar(source, i);
      if (escaped) {
        out += literal(escaped.ch);
        i += escaped.length;
        continue;
      }
      const backref = /^[1-9][0-9]?/.exec(source.slice(i + 1));
      if (backref) {
        if (Number(backref[0]) > groups) throw reError(`invalid group reference ${backref[0]} at position ${i + 1}`);
        out += `\\${backref[0]}`;
        i += 1 + backref[0].length;
        continue;
      }
      const classes: Record<string, string> = {
        d: '\\p{Nd}',
        D: '\\P{Nd}',
        w: WORD,
        W: `[^${WORD_CLASS_BODY}]`,
        s: '\\s',
        S: '\\S',
        A: '(?<![\\s\\S])',
        Z: '(?![\\s\\S])',
        b: `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`,
        B: `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`,
      };
      const translated = classes[c];
      if (translated) out += translated;
      else if (/[A-Za-z0-9]/.test(c)) throw reError(`bad escape \\${c} at position ${i}`);
      else out += literal(c);
      i += 2;
      continue;
    }
    if (ch === '[') {
      const cls = translateClass(source, i);
      out += cls.text;
      i = cls.end;
      continue;
    }
    if (ch === '(') {
      if (source.startsWith('(?#', i)) {
        const close = source.indexOf(')', i);
        if (close < 0) throw reError(`missing ), unterminated comment at position ${i}`);
        i = close + 1;
        continue;
      }
      const named = /^\(\?P<([^>]*)>/.exec(source.slice(i));
      if (named) {
        const name = named[1] ?? '';
        if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) throw reError(`bad character in group name '${name}' at position ${i + 4}`);
        if (names.has(name)) throw reError(`redefinition of group name '${name}' as group ${groups + 1}; was group ${names.get(name)} at position ${i + 4}`);
        groups++;
        names.set(name, groups);
        out += `(?<${name}>`;
        i += named[0].length;
        continue;
      }
      const namedRef = /^\(\?P=([^)]*)\)/.exec(source.slice(i));
      if (namedRef) {
        const name = namedRef[1] ?? '';
        if (!names.has(name)) throw reError(`unknown group name '${name}' at position ${i + 4}`);
        out += `\\k<${name}>`;
        i += namedRef[0].length;
        continue;
      }
      if (source.startsWith('(?(', i)) throw reError('conditional groups (?(id)yes|no) are not supported by fleet');
      const scoped = /^\(\?([aiLmsux]*)(?:-([imsx]+))?:/.exec(source.slice(i));
      if (scoped && (scoped[1] || scoped[2])) {
        // JavaScript has no scoped modifiers here: the group keeps the whole pattern's flags.
        out += '(?:';
        i += scoped[0].length;
        continue;
      }
      if (!source.startsWith('(?', i)) groups++;
      out += '(';
      i++;
      continue;
    }
    if (ch === '{') {
      const quantifier = /^\{([0-9]*)(?:,([0-9]*))?\}/.exec(source.slice(i));
      if (quantifier && (quantifier[1] !== '' || (quantifier[2] !== undefined && quantifier[2] !== ''))) {
        out += quantifier[1] === '' ? `{0,${quantifier[2]}}` : quantifier[0];
        i += quantifier[0].length;
      } else {
        out += '\\{';
        i++;
      }
      continue;
    }
    if (ch === '}') out += '\\}';
    else if (ch === '.') out += flags.dotall ? '[\\s\\S]' : '[^\\n]';
    else if (ch === '^') out += flags.multiline ? '(?:(?<![\\s\\S])|(?<=\\n))' : '(?<![\\s\\S])';
    else if (ch === '$') out += flags.multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
    else if (ch === '/') out += '\\/';
    else out += ch;
    i++;
  }
  try {
    return { regex: new RegExp(out, `gu${flags.ignorecase ? 'i' : ''}`), groups, names };
  } catch (error) {
    throw reError(error instanceof Error ? error.message : String(error));
  }
}

/** re.VERBOSE: whitespace and `#` comments outside classes and escapes are dropped. */
function stripVerbose(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
    } else if (ch === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
    } else if (!/\s/.test(ch)) out += ch;
  }
  return out;
}

/** The groups of a match as Python numbers them: undefined where a group did not take part. */
export function matchGroups(m: RegExpExecArray): Array<string | undefined> {
  return Array.from(m, (g) => g);
}

/** `re.finditer`: every match, empty ones included, as Python 3.7+ finds them. */
export function findAll(compiled: PyRegex, text: string): RegExpExecArray[] {
  const regex = new RegExp(compiled.regex.source, compiled.regex.flags);
  const matches: RegExpExecArray[] = [];
  let m: RegExpExecArray | null;
  while ((m = regex.exec(text)) !== null) {
    matches.push(m);
    if (m[0] === '') regex.lastIndex += (text.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1;
  }
  return matches;
}

/** `re.search`: the first match anywhere. */
export function search(compiled: PyRegex, text: string): RegExpExecArray | null {
  const regex = new RegExp(compiled.regex.source, compiled.regex.flags);
  return regex.exec(text);
}

/** `re.match`: a match starting at the beginning of the text. */
export function matchAtStart(compiled: PyRegex, text: string): RegExpExecArray | null {
  const regex = new RegExp(compiled.regex.source, compiled.regex.flags.replace('g', 'y'));
  return regex.exec(text);
}

type TemplatePart = string | number;

/** Parses a `re.sub` replacement template (`\1`, `\g<name>`, `\n`…) into text and group numbers. */
export function parseReplacement(template: string, compiled: PyRegex): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literalText = '';
  const flush = (): void => {
    if (literalText) parts.push(literalText);
    literalText = '';
  };
  for (let i = 0; i < template.length; i++) {
    const ch = template[i] ?? '';
    if (ch !== '\\') {
      literalText += ch;
      continue;
    }
    const c = template[i + 1] ?? '';
    if (c === 'g') {
      const m = /^<([^>]*)>/.exec(template.slice(i + 2));
      if (!m) throw reError(`missing < at position ${i + 2}`);
      const ref = m[1] ?? '';
      let group: number;
      if (/^[0-9]+$/.test(ref)) group = Number(ref);
      else {
        const named = compiled.names.get(ref);
        if (named === undefined) throw new PyError('IndexError', `unknown group name '${ref}'`);
        group = named;
      }
      if (group > compiled.groups) throw reError(`invalid group reference ${group} at position ${i + 3}`);
      flush();
      parts.push(group);
      i += 1 + m[0].length;
      continue;
    }
    const digits = /^[0-9]{1,2}/.exec(template.slice(i + 1));
    if (digits && !(digits[0].startsWith('0'))) {
      const group = Number(digits[0]);
      if (group > compiled.groups) throw reError(`invalid group reference ${group} at position ${i + 1}`);
      flush();
      parts.push(group);
      i += digits[0].length;
      continue;
    }
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };
    if (c in simple) {
      literalText += simple[c];
      i++;
    } else if (c === '0') {
      const octal = /^0[0-7]{0,2}/.exec(template.slice(i + 1))?.[0] ?? '0';
      literalText += String.fromCodePoint(parseInt(octal, 8));
      i += octal.length;
    } else if (/[A-Za-z]/.test(c)) {
      throw reError(`bad escape \\${c} at position ${i}`);
    } else {
      literalText += `\\${c}`;
      i++;
    }
  }
  flush();
  return parts;
}

export function expandReplacement(parts: TemplatePart[], m: RegExpExecArray): string {
  return parts.map((p) => (typeof p === 'number' ? (m[p] ?? '') : p)).join('');
}

/** `re.sub(pattern, replacement, text, count)`. */
export function substitute(compiled: PyRegex, replacement: string, text: string, count = 0): string {
  const parts = parseReplacement(replacement, compiled);
  let out = '';
  let last = 0;
  let done = 0;
  for (const m of findAll(compiled, text)) {
    if (count > 0 && done >= count) break;
    out += text.slice(last, m.index) + expandReplacement(parts, m);
    last = m.index + m[0].length;
    done++;
  }
  return out + text.slice(last);
}

const SPECIAL = new Set('()[]{}?*+-|^$\\.&~# \t\n\r\v\f');

/** Python 3.7+ `re.escape`. */
export function pyReEscape(s: string): string {
  return Array.from(s, (c) => (SPECIAL.has(c) ? `\\${c}` : c)).join('');
}
