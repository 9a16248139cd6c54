import { expandTabs } from '../template/python/expandtabs.js';

/**
 * Python's `textwrap.wrap(text, width)` with its defaults (the wrapping Ansible's
 * Display.warning gives every warning): whitespace made spaces, chunks split at whitespace
 * and inside hyphenated words, words longer than a line broken, whitespace dropped at the
 * ends of lines. `\w` is Unicode-aware, as in Python.
 */
const LETTER = String.raw`[\p{L}\p{M}_]`;
const WORD = String.raw`[\p{L}\p{M}\p{N}_]`;
const WORD_PUNCT = String.raw`[\p{L}\p{M}\p{N}_!"'&.,?]`;
// Built on first use, not when fleet starts: `new RegExp` parses at once, and each Unicode
// property class here makes V8 scan every code point through ICU (~30M instructions in all).
let wordSep: RegExp | undefined;
const wordSepPattern = (): RegExp =>
  (wordSep ??= new RegExp(
    String.raw`(\s+|(?<=${WORD_PUNCT})-{2,}(?=${WORD})|\S+?(?:-(?:(?<=(?:${LETTER}){2}-)|(?<=(?:${LETTER})-(?:${LETTER})-))(?=(?:${LETTER})-?(?:${LETTER}))|(?=\s|$)|(?<=${WORD_PUNCT})(?=-{2,}${WORD})))`,
    'u',
  ));

function chunksOf(text: string): string[] {
  return text.split(wordSepPattern()).filter((chunk) => chunk !== '');
}

/** `dropWhitespace: false` keeps the spaces at the ends of lines, as Display.deprecated wraps. */
export function wrapText(text: string, width: number, dropWhitespace = true): string[] {
  const chunks = chunksOf(expandTabs(text).replace(/[\n\v\f\r]/g, ' ')).reverse();
  const lines: string[] = [];
  while (chunks.length > 0) {
    const line: string[] = [];
    let length = 0;
    if (dropWhitespace && lines.length > 0 && chunks.at(-1)!.trim() === '') chunks.pop();
    while (chunks.length > 0 && length + chunks.at(-1)!.length <= width) {
      length += chunks.at(-1)!.length;
      line.push(chunks.pop()!);
    }
    const next = chunks.at(-1);
    if (next !== undefined && next.length > width) {
      // _handle_long_word: as much as fits, cut after a hyphen when one is in reach.
      const room = Math.max(width - length, 1);
      let end = room;
      const hyphen = next.lastIndexOf('-', room - 1);
      if (next.length > room && hyphen > 0 && /[^-]/.test(next.slice(0, hyphen))) end = hyphen + 1;
      line.push(next.slice(0, end));
      chunks[chunks.length - 1] = next.slice(end);
    }
    if (dropWhitespace && line.length > 0 && line.at(-1)!.trim() === '') line.pop();
    if (line.length > 0) lines.push(line.join(''));
  }
  return lines;
}

/** Display.error's default (wrap_text): `[ERROR]: message` after a newline, wrapped, so the newline shows as a leading space. */
export function wrappedErrorText(message: string, width: number): string {
  return wrapText(`\n[ERROR]: ${message}`, width).join('\n');
}
