/** Python's notion of whitespace (str.isspace / str.split()), which differs from JavaScript's \s. */
export const PY_WHITESPACE = ' \t\n\r\v\f\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
const WS_CLASS = `[${PY_WHITESPACE.replace(/[\\\]^-]/g, '\\$&')}]`;
export const WS_RUN = new RegExp(`${WS_CLASS}+`, 'u');
export const isPyWhitespace = (ch: string): boolean => PY_WHITESPACE.includes(ch);

const SURROGATE = /[\uD800-\uDFFF]/;

/** The code points of a string (Python indexes strings by code point, not UTF-16 unit). */
export function codePoints(s: string): string[] {
  return SURROGATE.test(s) ? Array.from(s) : s.split('');
}

export function pyLen(s: string): number {
  return SURROGATE.test(s) ? Array.from(s).length : s.length;
}

const isCased = (ch: string): boolean => ch.toLowerCase() !== ch.toUpperCase();

/** Unicode title case of one character: like upper case, but `ß` → `Ss`, `ﬁ` → `Fi`. */
const TITLE_DIGRAPHS: Record<string, string> = { Ǆ: 'ǅ', ǆ: 'ǅ', Ǉ: 'ǈ', ǉ: 'ǈ', Ǌ: 'ǋ', ǌ: 'ǋ', Ǳ: 'ǲ', ǳ: 'ǲ' };

function titleChar(ch: string): string {
  const digraph = TITLE_DIGRAPHS[ch];
  if (digraph) return digraph;
  const upper = ch.toUpperCase();
  const [first = '', ...rest] = Array.from(upper);
  return rest.length ? first + rest.join('').toLowerCase() : upper;
}

/** Python's str.title(): a cased character after an uncased one starts a word. */
export function titleCase(s: string): string {
  let out = '';
  let previousCased = false;
  for (const ch of s) {
    if (isCased(ch)) {
      out += previousCased ? ch.toLowerCase() : titleChar(ch);
      previousCased = true;
    } else {
      out += ch;
      previousCased = false;
    }
  }
  return out;
}

export function capitalize(s: string): string {
  const [first = '', ...rest] = Array.from(s);
  return titleChar(first) + rest.join('').toLowerCase();
}

/** str.split(sep=None, maxsplit=-1). */
export function splitPy(s: string, sep: string | null, maxsplit: number): string[] {
  if (sep === null) {
    const out: string[] = [];
    let rest = s.replace(new RegExp(`^${WS_CLASS}+`, 'u'), '');
    while (rest !== '') {
      if (maxsplit >= 0 && out.length >= maxsplit) {
        out.push(rest);
        break;
      }
      const m = WS_RUN.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  const parts = s.split(sep);
  if (maxsplit < 0 || parts.length - 1 <= maxsplit) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
}

/** str.rsplit(sep=None, maxsplit=-1). */
export function rsplitPy(s: string, sep: string | null, maxsplit: number): string[] {
  if (maxsplit < 0) return splitPy(s, sep, maxsplit);
  if (sep === null) {
    const out: string[] = [];
    let rest = s.replace(new RegExp(`${WS_CLASS}+$`, 'u'), '');
    const trailing = new RegExp(`${WS_CLASS}+(?=[^${PY_WHITESPACE.replace(/[\\\]^-]/g, '\\$&')}]*$)`, 'u');
    while (rest !== '') {
      if (out.length >= maxsplit) {
        out.unshift(rest);
        break;
      }
      const m = trailing.exec(rest);
      if (!m) {
        out.unshift(rest);
        break;
      }
      out.unshift(rest.slice(m.index + m[0].length));
      rest = rest.slice(0, m.index);
    }
    return out;
  }
  const parts = s.split(sep);
  if (parts.length - 1 <= maxsplit) return parts;
  const keep = parts.length - maxsplit;
  return [parts.slice(0, keep).join(sep), ...parts.slice(keep)];
}

function stripSet(chars: string | null): (ch: string) => boolean {
  return chars === null ? isPyWhitespace : (ch) => chars.includes(ch);
}

export function stripPy(s: string, chars: string | null, left: boolean, right: boolean): string {
  const cps = codePoints(s);
  const strip = stripSet(chars);
  let start = 0;
  let end = cps.length;
  if (left) while (start < end && strip(cps[start] as string)) start++;
  if (right) while (end > start && strip(cps[end - 1] as string)) end--;
  return cps.slice(start, end).join('');
}

/** str.splitlines(keepends): Python's line boundaries include \r, \v, \f, \x1c-\x1e, \x85, \u2028/9. */
export function splitLines(s: string, keepends: boolean): string[] {
  const out: string[] = [];
  const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    out.push(s.slice(last, keepends ? m.index + m[0].length : m.index));
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

/** str.replace(old, new, count=-1), including Python's empty-pattern insertion. */
export function replacePy(s: string, old: string, replacement: string, count: number): string {
  if (old === '') {
    const cps = codePoints(s);
    let out = '';
    let done = 0;
    for (let i = 0; i <= cps.length; i++) {
      if (count < 0 || done < count) {
        out += replacement;
        done++;
      }
      out += cps[i] ?? '';
    }
    return out;
  }
  if (count < 0) return s.split(old).join(replacement);
  const parts = s.split(old);
  if (parts.length - 1 <= count) return parts.join(replacement);
  return parts.slice(0, count + 1).join(replacement) + old + parts.slice(count + 1).join(old);
}

/** Code-point index of `sub` in `s[start:end]`, or -1 (str.find / str.rfind). */
export function findPy(s: string, sub: string, start: number | null, end: number | null, fromRight: boolean): number {
  const cps = codePoints(s);
  const n = cps.length;
  const norm = (i: number | null, dflt: number): number => (i === null ? dflt : i < 0 ? Math.max(0, n + i) : Math.min(n, i));
  const lo = norm(start, 0);
  const hi = norm(end, n);
  if (hi - lo < pyLen(sub)) return -1;
  const window = cps.slice(lo, hi).join('');
  const at = fromRight ? window.lastIndexOf(sub) : window.indexOf(sub);
  if (at < 0) return -1;
  return lo + pyLen(window.slice(0, at));
}

export function countPy(s: string, sub: string): number {
  if (sub === '') return pyLen(s) + 1;
  return s.split(sub).length - 1;
}
