import { describe, expect, it } from 'vitest';
import { utf8DecodeError } from '../../src/template/python/utf8_decode_error.js';

// What CPython 3.11's bytes.decode('utf-8') raised for each (str of the UnicodeDecodeError).
const CASES: Array<[number[], string | null]> = [
  [[0x61, 0x62, 0xff], "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte"],
  [[0x61, 0xe2, 0x82, 0x41], "'utf-8' codec can't decode bytes in position 1-2: invalid continuation byte"],
  [[0x61, 0xe2, 0x82], "'utf-8' codec can't decode bytes in position 1-2: unexpected end of data"],
  [[0xe2], "'utf-8' codec can't decode byte 0xe2 in position 0: unexpected end of data"],
  [[0xed, 0xa0, 0x80], "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte"],
  [[0xc0, 0x80], "'utf-8' codec can't decode byte 0xc0 in position 0: invalid start byte"],
  [[0xf0, 0x90, 0x80], "'utf-8' codec can't decode bytes in position 0-2: unexpected end of data"],
  [[0x68, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80], null],
];

describe("CPython's UTF-8 decode errors", () => {
  it.each(CASES)('%j', (bytes, expected) => {
    expect(utf8DecodeError(Uint8Array.from(bytes))).toBe(expected);
  });
});
