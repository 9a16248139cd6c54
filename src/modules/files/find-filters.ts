import { globToRegExp } from '../../inventory/fnmatch.js';
import { compilePyRegex, matchAtStart, search, type PyRegex } from '../../template/filters/pyregex.js';

/**
 * The filters of lib/ansible/modules/find.py, applied on the controller to what the host
 * listed: Python's fnmatch and re semantics live here, not in the host's shell.
 */

// A walk tests every name against the same few patterns: each is translated once.
const compiledGlobs = new Map<string, RegExp>();
const compiledRegexes = new Map<string, PyRegex>();

function compiled<T>(cache: Map<string, T>, pattern: string, compile: (pattern: string) => T): T {
  let value = cache.get(pattern);
  if (value === undefined) {
    value = compile(pattern);
    cache.set(pattern, value);
  }
  return value;
}

/** compilePyRegex, once per pattern (re's own cache does the same for find.py). */
export function cachedPyRegex(pattern: string): PyRegex {
  return compiled(compiledRegexes, pattern, compilePyRegex);
}

/** find.py's pfilter: the name matches a pattern and, when one also matches, no exclude. */
export function nameMatches(name: string, patterns: readonly string[], excludes: readonly string[], useRegex: boolean): boolean {
  const matches = useRegex
    ? (pattern: string) => matchAtStart(cachedPyRegex(pattern), name) !== null
    : (pattern: string) => compiled(compiledGlobs, pattern, globToRegExp).test(name);
  for (const pattern of patterns) {
    if (matches(pattern)) return !excludes.some(matches);
  }
  return false;
}

/** `1w`, `-3d`, `10`: find.py's age or size string in seconds or bytes; null when it does not parse. */
function parseAmount(text: string, units: Record<string, number>): number | null {
  // Python's `$` also matches before a final newline.
  const m = new RegExp(`^(-?[0-9]+)([${Object.keys(units).join('')}])?\\n?$`).exec(text.toLowerCase());
  if (!m) return null;
  return Number(m[1]) * (units[m[2] ?? ''] ?? 1);
}

export const parseAge = (text: string) => parseAmount(text, { s: 1, m: 60, h: 3600, d: 86400, w: 604800 });
export const parseSize = (text: string) => parseAmount(text, { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 });

/** agefilter: at least `age` seconds old, or at most `-age` when negative. */
export function ageMatches(time: number, now: number, age: number | null): boolean {
  if (age === null) return true;
  return age >= 0 ? now - time >= Math.abs(age) : now - time <= Math.abs(age);
}

/** sizefilter: at least `size` bytes, or at most `-size` when negative. */
export function sizeMatches(size: number, wanted: number | null): boolean {
  if (wanted === null) return true;
  return wanted >= 0 ? size >= Math.abs(wanted) : size <= Math.abs(wanted);
}

// Python's text-mode reads decode 8 KiB at a time: lines before the chunk with a bad byte are seen.
const TEXT_CHUNK = 8192;

/** The text Python's `open(path)` yields before a UTF-8 decoding error, universal newlines applied. */
function readableText(bytes: Buffer): { text: string; complete: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/\r\n?/g, '\n'), complete: true };
  } catch {
    let end = 0;
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let text = '';
    try {
      for (; end < bytes.length; end += TEXT_CHUNK) text += decoder.decode(bytes.subarray(end, end + TEXT_CHUNK), { stream: true });
    } catch {
      // text holds the chunks decoded before the failing one
    }
    return { text: text.replace(/\r\n?/g, '\n'), complete: false };
  }
}

/**
 * contentfilter: with read_whole_file, the pattern searched in the whole text; otherwise
 * matched at the start of some line (newline kept). Unreadable or undecodable files do not match.
 */
export function contentMatches(bytes: Buffer | null, pattern: string, readWholeFile: boolean): boolean {
  const compiled = cachedPyRegex(pattern);
  if (bytes === null) return false;
  const { text, complete } = readableText(bytes);
  if (readWholeFile) return complete && search(compiled, text) !== null;
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  // An incomplete decode ends mid-line: that partial line is never handed to match().
  const seen = complete || text.endsWith('\n') ? lines : lines.slice(0, -1);
  return seen.some((line) => matchAtStart(compiled, line) !== null);
}
