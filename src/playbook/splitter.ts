import { SIMPLE_ESCAPES } from '../template/python/escapes.js';
/**
 * Ansible's `k=v` argument string parsing, as lib/ansible/parsing/splitter.py does it:
 * `split_args` splits on spaces but keeps quoted text and Jinja2 `{{ }}`/`{% %}`/`{# #}` spans
 * together; `parse_kv` turns the pieces into a dict, with free-form words under `_raw_params`.
 */

/** Raised for input Ansible also refuses; the caller adds the location. */
export class ArgumentSplitError extends Error {}

/** Options of command/shell that stay options even in free-form text (splitter.py's list). */
const RAW_MODULE_OPTIONS = new Set([
  'creates',
  'removes',
  'chdir',
  'executable',
  'warn',
  'stdin',
  'stdin_add_newline',
  'strip_empty_ends',
]);

/** The quote still open after `token`, given the one open before it (`_get_quote_state`). */
function quoteStateAfter(token: string, open: string | null): string | null {
  let quote = open;
  for (let i = 0; i < token.length; i++) {
    const ch = token[i];
    if ((ch === '"' || ch === "'") && (i === 0 || token[i - 1] !== '\\')) {
      if (quote === null) quote = ch;
      else if (ch === quote) quote = null;
    }
  }
  return quote;
}

function countOccurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** `_count_jinja2_blocks`: the nesting depth after `token`. */
function depthAfter(token: string, depth: number, open: string, close: string): number {
  const opened = countOccurrences(token, open);
  const closed = countOccurrences(token, close);
  if (opened === closed) return depth;
  return Math.max(0, depth + opened - closed);
}

/** splitter.py `split_args`. */
export function splitArgs(args: string): string[] {
  const params: string[] = [];
  const lines = args.split('\n');
  let quote: string | null = null;
  let insideQuotes = false;
  let printDepth = 0;
  let blockDepth = 0;
  let commentDepth = 0;
  const appendToLast = (text: string): void => {
    params[params.length - 1] = (params[params.length - 1] ?? '') + text;
  };

  lines.forEach((line, lineIndex) => {
    const tokens = line.split(' ');
    let lineContinuation = false;
    tokens.forEach((token, index) => {
      if (token.length === 0 && index !== 0) {
        appendToLast(' ');
        return;
      }
      if (token === '\\' && !insideQuotes) {
        lineContinuation = true;
        return;
      }
      const wasInsideQuotes = insideQuotes;
      quote = quoteStateAfter(token, quote);
      insideQuotes = quote !== null;
      const inJinja = (): boolean => printDepth > 0 || blockDepth > 0 || commentDepth > 0;

      let appended = false;
      if (insideQuotes && !wasInsideQuotes && !inJinja()) {
        params.push(token);
        appended = true;
      } else if (inJinja() || insideQuotes || wasInsideQuotes) {
        if (index === 0 && wasInsideQuotes) appendToLast(token);
        else if (tokens.length > 1) appendToLast(`${index > 0 ? ' ' : ''}${token}`);
        else appendToLast(`\n${token}`);
        appended = true;
      }

      const depths: [number, number, number] = [printDepth, blockDepth, commentDepth];
      printDepth = depthAfter(token, printDepth, '{{', '}}');
      if (printDepth !== depths[0] && !appended) {
        params.push(token);
        appended = true;
      }
      blockDepth = depthAfter(token, blockDepth, '{%', '%}');
      if (blockDepth !== depths[1] && !appended) {
        params.push(token);
        appended = true;
      }
      commentDepth = depthAfter(token, commentDepth, '{#', '#}');
      if (commentDepth !== depths[2] && !appended) {
        params.push(token);
        appended = true;
      }
      if (!inJinja() && !insideQuotes && !appended && token !== '') params.push(token);
    });
    if (lines.length > 1 && lineIndex !== lines.length - 1 && !lineContinuation) appendToLast('\n');
  });

  if (printDepth > 0 || blockDepth > 0 || commentDepth > 0 || insideQuotes) {
    throw new ArgumentSplitError(
      `failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`,
    );
  }
  return params;
}

/** splitter.py `join_args`: rejoins pieces, keeping the newlines they carry. */
export function joinArgs(pieces: string[]): string {
  let result = '';
  for (const piece of pieces) {
    result += result.length === 0 || result.endsWith('\n') ? piece : ` ${piece}`;
  }
  return result;
}

/** quoting.py `unquote`. */
export function unquote(text: string): string {
  const quoted =
    text.length > 1 && text[0] === text[text.length - 1] && (text[0] === '"' || text[0] === "'") && text[text.length - 2] !== '\\';
  return quoted ? text.slice(1, -1) : text;
}

/** splitter.py `_decode_escapes`: Python escapes (`\n`, `\x41`, `\u00e9`…) in one piece. */
function decodeEscapes(text: string): string {
  return text.replace(/\\(U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\\'"abfnrtv])/g, (match, body: string) => {
    if (body.length === 1) return SIMPLE_ESCAPES[body] ?? match;
    return String.fromCodePoint(parseInt(body.slice(1), 16));
  });
}

/**
 * splitter.py `parse_kv`: `a=1 b="x y"` → {a: '1', b: 'x y'}. Words without `=` (and, when
 * `checkRaw`, `k=v` words whose key is not a command option) are joined into `_raw_params`.
 * Values stay strings, as in Ansible.
 */
export function parseKv(args: string, checkRaw = false): Map<string, string> {
  const options = new Map<string, string>();
  const rawParams: string[] = [];
  for (const original of splitArgs(args)) {
    const piece = decodeEscapes(original);
    const equals = unescapedEquals(piece);
    if (equals === null) {
      rawParams.push(piece.includes('=') ? piece.replaceAll('\\=', '=') : original);
      continue;
    }
    const key = piece.slice(0, equals);
    const value = piece.slice(equals + 1);
    if (checkRaw && !RAW_MODULE_OPTIONS.has(key)) rawParams.push(original);
    else options.set(key.trim(), unquote(value.trim()));
  }
  if (rawParams.length > 0) options.set('_raw_params', joinArgs(rawParams));
  return options;
}

/** Index of the first `=` after position 0 that is not preceded by a backslash. */
function unescapedEquals(piece: string): number | null {
  for (let i = 1; i < piece.length; i++) {
    if (piece[i] === '=' && piece[i - 1] !== '\\') return i;
  }
  return null;
}
