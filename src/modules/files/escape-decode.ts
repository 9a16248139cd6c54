import { SIMPLE_ESCAPES } from '../../template/python/escapes.js';

export class EscapeDecodeError extends Error {}

/**
 * Python's `codecs.escape_decode` (what assemble applies to its delimiter): the text as UTF-8
 * bytes with `\n`-style, `\ooo` and `\xhh` escapes decoded; an unknown escape stays as written.
 */
export function escapeDecode(input: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const byte = input[i] as number;
    if (byte !== 0x5c) {
      out.push(byte);
      continue;
    }
    const start = i;
    const next = input[++i];
    if (next === undefined) throw new EscapeDecodeError('Trailing \\ in string');
    const char = String.fromCharCode(next);
    const simple = SIMPLE_ESCAPES[char];
    if (simple !== undefined) {
      out.push(...Buffer.from(simple, 'latin1'));
    } else if (char >= '0' && char <= '7') {
      let digits = char;
      while (digits.length < 3 && /[0-7]/.test(String.fromCharCode(input[i + 1] ?? 0))) digits += String.fromCharCode(input[++i] as number);
      out.push(parseInt(digits, 8) & 0xff);
    } else if (char === 'x') {
      const hex = input.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new EscapeDecodeError(`invalid \\x escape at position ${start}`);
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(0x5c, next);
    }
  }
  return Buffer.from(out);
}

/**
 * The delimiters assemble writes between fragments, in order. Its loop decodes the delimiter
 * again before every use (`delimiter = codecs.escape_decode(delimiter)[0]`), so the n-th one
 * is decoded n times; the list ends where decoding changes nothing more, and that last one
 * repeats.
 */
export function delimiterSequence(delimiter: string): Buffer[] {
  const sequence = [escapeDecode(Buffer.from(delimiter, 'utf8'))];
  for (;;) {
    const last = sequence[sequence.length - 1] as Buffer;
    const again = escapeDecode(last);
    if (again.equals(last)) return sequence;
    sequence.push(again);
  }
}
