import { PyError } from './errors.js';

/**
 * Python's str.encode and bytes.decode with Ansible's `surrogate_or_strict` errors (which is
 * surrogateescape): undecodable bytes travel as lone surrogates U+DC80–U+DCFF and become the
 * same bytes again. Only the codecs fleet supports are known; the others are refused by name.
 */

interface Codec {
  /** The name Python's UnicodeEncodeError gives. */
  errorName: string;
  /** Why a character cannot be encoded, as Python words it. */
  reason: string;
  /** The bytes of one code point, or null when the codec has none. */
  encodePoint(point: number): number[] | null;
  /** Bytes before the text (utf-16's byte order mark). */
  prefix: number[];
  /** Whether surrogateescape may turn U+DC80–U+DCFF back into bytes (ASCII-compatible codecs only). */
  escapes: boolean;
}

// cp1252 bytes 0x80–0x9F (Python's table; null where it has none); the rest is latin-1.
const CP1252_HIGH = [
  0x20ac, null, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, null, 0x017d, null,
  null, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, null, 0x017e, 0x0178,
];
const CP1252 = new Map<number, number>();
for (let b = 0; b < 256; b++) {
  const point = b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : b;
  if (point !== null && point !== undefined) CP1252.set(point, b);
}

const isSurrogate = (point: number): boolean => point >= 0xd800 && point <= 0xdfff;

function utf8Point(point: number): number[] | null {
  if (isSurrogate(point)) return null;
  return [...Buffer.from(String.fromCodePoint(point), 'utf8')];
}

function utf16Point(point: number, bigEndian: boolean): number[] | null {
  if (isSurrogate(point)) return null;
  const units = Buffer.from(String.fromCodePoint(point), 'utf16le');
  if (bigEndian) units.swap16();
  return [...units];
}

const SURROGATES = 'surrogates not allowed';
const CODECS: Record<string, Codec> = {
  utf_8: { errorName: 'utf-8', reason: SURROGATES, encodePoint: utf8Point, prefix: [], escapes: true },
  utf_16: { errorName: 'utf-16', reason: SURROGATES, encodePoint: (p) => utf16Point(p, false), prefix: [0xff, 0xfe], escapes: false },
  utf_16_le: { errorName: 'utf-16-le', reason: SURROGATES, encodePoint: (p) => utf16Point(p, false), prefix: [], escapes: false },
  utf_16_be: { errorName: 'utf-16-be', reason: SURROGATES, encodePoint: (p) => utf16Point(p, true), prefix: [], escapes: false },
  latin_1: { errorName: 'latin-1', reason: 'ordinal not in range(256)', encodePoint: (p) => (p < 256 ? [p] : null), prefix: [], escapes: true },
  ascii: { errorName: 'ascii', reason: 'ordinal not in range(128)', encodePoint: (p) => (p < 128 ? [p] : null), prefix: [], escapes: true },
  cp1252: { errorName: 'charmap', reason: 'character maps to <undefined>', encodePoint: (p) => bytesOf(CP1252.get(p)), prefix: [], escapes: true },
};

const bytesOf = (byte: number | undefined): number[] | null => (byte === undefined ? null : [byte]);

// encodings.aliases for the codecs above.
const ALIASES: Record<string, string> = {
  utf8: 'utf_8', u8: 'utf_8', utf: 'utf_8', cp65001: 'utf_8', utf8_ucs2: 'utf_8', utf8_ucs4: 'utf_8',
  utf16: 'utf_16', u16: 'utf_16',
  utf_16le: 'utf_16_le', unicodelittleunmarked: 'utf_16_le',
  utf_16be: 'utf_16_be', unicodebigunmarked: 'utf_16_be',
  latin1: 'latin_1', latin: 'latin_1', l1: 'latin_1', '8859': 'latin_1', cp819: 'latin_1', csisolatin1: 'latin_1', ibm819: 'latin_1',
  iso8859: 'latin_1', iso8859_1: 'latin_1', iso_8859_1: 'latin_1', iso_8859_1_1987: 'latin_1', iso_ir_100: 'latin_1',
  '646': 'ascii', 'ansi_x3.4_1968': 'ascii', 'ansi_x3.4_1986': 'ascii', ansi_x3_4_1968: 'ascii', cp367: 'ascii', csascii: 'ascii',
  ibm367: 'ascii', iso646_us: 'ascii', 'iso_646.irv_1991': 'ascii', iso_ir_6: 'ascii', us: 'ascii', us_ascii: 'ascii',
  '1252': 'cp1252', windows_1252: 'cp1252',
};

/** encodings.normalize_encoding after codecs.lookup's lower-casing: other punctuation runs become `_`. */
function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Python's codec names that fleet cannot encode, told apart from names Python has no codec for. */
function unsupported(name: string): PyError {
  return new PyError('LookupError', `fleet does not support the ${name} codec`);
}

function codecNamed(name: string): Codec {
  const normal = normalizeName(name);
  const codec = CODECS[ALIASES[normal] ?? ALIASES[normal.replace(/\./g, '_')] ?? normal];
  if (codec) return codec;
  if (/^(cp|windows_|iso_?8859|koi8|mac|utf_?32|utf_?7|big5|gb|euc|shift_jis|latin\d|l\d)/.test(normal)) throw unsupported(name);
  throw new PyError('LookupError', `unknown encoding: ${name}`);
}

/** How Python's UnicodeEncodeError shows one character. */
function escapedChar(point: number): string {
  const hex = point.toString(16);
  if (point <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (point <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

function encodeError(codec: Codec, points: number[], start: number, end: number): PyError {
  const where = end - start === 1 ? `character '${escapedChar(points[start] as number)}' in position ${start}` : `characters in position ${start}-${end - 1}`;
  return new PyError('UnicodeEncodeError', `'${codec.errorName}' codec can't encode ${where}: ${codec.reason}`);
}

/** `text.encode(encoding, 'surrogateescape')`; throws LookupError or UnicodeEncodeError as Python does. */
export function pyEncode(text: string, encoding: string): Buffer {
  const codec = codecNamed(encoding);
  const points = Array.from(text, (c) => c.codePointAt(0) as number);
  const out: number[] = [...codec.prefix];
  for (let i = 0; i < points.length; ) {
    const encoded = codec.encodePoint(points[i] as number);
    if (encoded) {
      out.push(...encoded);
      i++;
      continue;
    }
    // Python hands the error handler the whole run of characters the codec cannot encode.
    let end = i + 1;
    while (end < points.length && codec.encodePoint(points[end] as number) === null) end++;
    const run = points.slice(i, end);
    if (!codec.escapes || !run.every((p) => p >= 0xdc80 && p <= 0xdcff)) throw encodeError(codec, points, i, end);
    out.push(...run.map((p) => p - 0xdc00));
    i = end;
  }
  return Buffer.from(out);
}

/** Length of the valid UTF-8 sequence at `i` (Python's decoder's ranges), or 0. */
function utf8SequenceLength(bytes: Buffer, i: number): number {
  const lead = bytes[i] as number;
  if (lead < 0x80) return 1;
  const at = (k: number): number => bytes[i + k] ?? -1;
  const cont = (k: number, low = 0x80, high = 0xbf): boolean => at(k) >= low && at(k) <= high;
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return cont(1, low, high) && cont(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return cont(1, low, high) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** `bytes.decode('utf-8', 'surrogateescape')`. */
export function decodeUtf8Escaped(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    let text = '';
    for (let i = 0; i < bytes.length; ) {
      const length = utf8SequenceLength(bytes, i);
      if (length === 0) {
        text += String.fromCharCode(0xdc00 + (bytes[i] as number));
        i++;
      } else {
        text += bytes.subarray(i, i + length).toString('utf8');
        i += length;
      }
    }
    return text;
  }
}
