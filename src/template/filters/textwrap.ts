import { valueError } from '../python/index.js';

/**
 * Python's `textwrap.wrap(text, width, expand_tabs=False, replace_whitespace=False, …)`,
 * which Jinja2's `wordwrap` filter calls for each paragraph.
 * https://github.com/python/cpython/blob/3.11/Lib/textwrap.py
 */
export interface WrapOptions {
  width: number;
  breakLongWords: boolean;
  breakOnHyphens: boolean;
}

const WS = '[\\t\\n\\x0b\\x0c\\r ]';
const NWS = '[^\\t\\n\\x0b\\x0c\\r ]';
const WORD_PUNCT = '[\\p{L}\\p{N}_!"\'&.,?]';
const LETTER = '[\\p{L}_]';
const WORD = '[\\p{L}\\p{N}_]';

// TextWrapper.wordsep_re: whitespace runs, em-dashes, and words split after their hyphens.
// Built on first use, not when fleet starts: `new RegExp` parses at once, and each Unicode
// property class makes V8 scan every code point through ICU.
let wordsep: RegExp | undefined;
const wordsepPattern = (): RegExp =>
  (wordsep ??= new RegExp(
    `(${WS}+|(?<=${WORD_PUNCT})-{2,}(?=${WORD})|${NWS}+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})|(?=${WS}|$)|(?<=${WORD_PUNCT})(?=-{2,}${WORD})))`,
    'u',
  ));
const WORDSEP_SIMPLE = new RegExp(`(${WS}+)`, 'u');

const len = (s: string): number => Array.from(s).length;
const isBlank = (s: string): boolean => s.trim() === '' && /^[\s]*$/.test(s);

function splitChunks(text: string, breakOnHyphens: boolean): string[] {
  return text.split(breakOnHyphens ? wordsepPattern() : WORDSEP_SIMPLE).filter((c) => c !== undefined && c !== '');
}

function handleLongWord(chunks: string[], line: string[], lineLength: number, width: number, options: WrapOptions): void {
  const spaceLeft = width < 1 ? 1 : width - lineLength;
  const chunk = chunks[chunks.length - 1] ?? '';
  if (options.breakLongWords) {
    const chars = Array.from(chunk);
    let end = spaceLeft;
    if (options.breakOnHyphens && chars.length > spaceLeft) {
      const hyphen = chars.slice(0, spaceLeft).lastIndexOf('-');
      if (hyphen > 0 && chars.slice(0, hyphen).some((c) => c !== '-')) end = hyphen + 1;
    }
    line.push(chars.slice(0, end).join(''));
    chunks[chunks.length - 1] = chars.slice(end).join('');
  } else if (line.length === 0) {
    line.push(chunks.pop() ?? '');
  }
}

export function wrapText(text: string, options: WrapOptions): string[] {
  if (options.width <= 0) throw valueError(`invalid width ${options.width} (must be > 0)`);
  const chunks = splitChunks(text, options.breakOnHyphens).reverse();
  const lines: string[] = [];
  const width = options.width;
  while (chunks.length > 0) {
    const line: string[] = [];
    let lineLength = 0;
    if (isBlank(chunks[chunks.length - 1] ?? '') && lines.length > 0) chunks.pop();
    while (chunks.length > 0) {
      const l = len(chunks[chunks.length - 1] ?? '');
      if (lineLength + l > width) break;
      line.push(chunks.pop() ?? '');
      lineLength += l;
    }
    if (chunks.length > 0 && len(chunks[chunks.length - 1] ?? '') > width) {
      handleLongWord(chunks, line, lineLength, width, options);
      if (chunks[chunks.length - 1] === '') chunks.pop();
    }
    if (line.length > 0 && isBlank(line[line.length - 1] ?? '')) line.pop();
    if (line.length > 0) lines.push(line.join(''));
  }
  return lines;
}
