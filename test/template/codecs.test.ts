import { describe, expect, test } from 'vitest';
import { decodeUtf8Escaped, pyEncode } from '../../src/template/python/codecs.js';

// Expected values: /usr/bin/python3 (3.11), `text.encode(codec, 'surrogateescape')` and
// `data.decode('utf-8', 'surrogateescape')`, the way Ansible's to_bytes/to_text
// (errors='surrogate_or_strict') call them.
describe('pyEncode', () => {
  test.each([
    ['café €', 'windows-1252', '636166e92080'],
    ['café', 'ISO_8859-1', '636166e9'],
    ['h\u00e9', 'UTF16', 'fffe6800e900'],
    ['h\u00e9', 'utf-16-be', '006800e9'],
    ['a\u{1F600}', 'utf8', '61f09f9880'],
    ['a\udce9', 'cp1252', '61e9'],
    ['caf\udce9', 'utf-8', '636166e9'],
  ])('%j as %s', (text, codec, hex) => {
    expect(pyEncode(text, codec).toString('hex')).toBe(hex);
  });

  test.each([
    ['x €€ é', 'ascii', "'ascii' codec can't encode characters in position 2-3: ordinal not in range(128)"],
    ['\u0100', 'cp1252', "'charmap' codec can't encode character '\\u0100' in position 0: character maps to <undefined>"],
    ['a\u{1F600}b', 'latin-1', "'latin-1' codec can't encode character '\\U0001f600' in position 1: ordinal not in range(256)"],
    ['\ud800', 'utf-8', "'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed"],
    ['\udc41', 'utf-8', "'utf-8' codec can't encode character '\\udc41' in position 0: surrogates not allowed"],
    ['h\udce9', 'utf-16', "'utf-16' codec can't encode character '\\udce9' in position 1: surrogates not allowed"],
    ['x', 'no-such-codec', 'unknown encoding: no-such-codec'],
  ])('%j as %s fails', (text, codec, message) => {
    expect(() => pyEncode(text, codec)).toThrow(message);
  });
});

describe('decodeUtf8Escaped', () => {
  test.each([
    ['636166e90a', 'caf\udce9\n'],
    ['e282e282ac', '\udce2\udc82€'],
    ['eda080c0af', '\udced\udca0\udc80\udcc0\udcaf'],
    ['efbbbf61', '\ufeffa'],
  ])('%s', (hex, text) => {
    expect(decodeUtf8Escaped(Buffer.from(hex, 'hex'))).toBe(text);
  });
});
