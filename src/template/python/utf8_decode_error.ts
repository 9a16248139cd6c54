/**
 * The text of the UnicodeDecodeError CPython's strict UTF-8 decoder raises for `bytes`, or null
 * when they decode: "'utf-8' codec can't decode byte 0xff in position 3: invalid start byte".
 */
export function utf8DecodeError(bytes: Uint8Array): string | null {
  let pos = 0;
  while (pos < bytes.length) {
    const lead = bytes[pos] as number;
    const length = sequenceLength(lead);
    if (length === 1) {
      pos += 1;
      continue;
    }
    if (length === 0) return decodeError(bytes, pos, pos + 1, 'invalid start byte');
    let end = pos + 1;
    while (end < pos + length && end < bytes.length && continues(lead, end - pos, bytes[end] as number)) end += 1;
    if (end === pos + length) {
      pos = end;
      continue;
    }
    return decodeError(bytes, pos, end, end >= bytes.length ? 'unexpected end of data' : 'invalid continuation byte');
  }
  return null;
}

/** 1 for ASCII, 2–4 for a valid lead byte, 0 for a byte no sequence starts with. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Whether `byte` may stand at `offset` of a sequence led by `lead` (no overlong forms, surrogates or code points past U+10FFFF). */
function continues(lead: number, offset: number, byte: number): boolean {
  if (offset === 1) {
    if (lead === 0xe0) return byte >= 0xa0 && byte <= 0xbf;
    if (lead === 0xed) return byte >= 0x80 && byte <= 0x9f;
    if (lead === 0xf0) return byte >= 0x90 && byte <= 0xbf;
    if (lead === 0xf4) return byte >= 0x80 && byte <= 0x8f;
  }
  return byte >= 0x80 && byte <= 0xbf;
}

function decodeError(bytes: Uint8Array, start: number, end: number, reason: string): string {
  const where = end - start === 1 ? `byte 0x${(bytes[start] as number).toString(16).padStart(2, '0')} in position ${start}` : `bytes in position ${start}-${end - 1}`;
  return `'utf-8' codec can't decode ${where}: ${reason}`;
}
