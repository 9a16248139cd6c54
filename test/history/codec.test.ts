import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from '../../src/history/codec.js';
import { jsonDumps } from '../../src/output/pyjson.js';
import { SecretRegistry } from '../../src/secrets/registry.js';
import { PyDict, PyFloat, PyTuple, PyUnsafe } from '../../src/template/values.js';

const keep = (text: string) => text;

describe('ledger codec', () => {
  it('reads back what the output prints the same way: floats, big ints, dicts with other keys, tuples, unsafe text', () => {
    const value = {
      rc: 0,
      ratio: new PyFloat(2),
      odd: new PyFloat(Number.NaN),
      big: 12345678901234567890n,
      byNumber: new PyDict([[2, 'b'], [1, 'a'], [null, 'none']]),
      pair: new PyTuple(['x', 1]),
      raw: new PyUnsafe('{{ not templated }}'),
      nested: [{ $fleet: 'float', v: 1 }],
      gone: undefined,
    };
    const back = decodeValue(encodeValue(value, keep));
    expect(jsonDumps(back, { sortKeys: true })).toBe(jsonDumps(value, { sortKeys: true }));
    expect(jsonDumps(back)).toBe(jsonDumps(value));
  });

  it('masks every registered secret in strings, keys and numbers that spell one', () => {
    const secrets = new SecretRegistry();
    secrets.add('hunter22');
    secrets.add('4242');
    const text = encodeValue({ msg: 'pw=hunter22', hunter22: new PyDict([['k', 'xhunter22x']]), pin: 4242, port: 42420, ok: 7 }, (t) => secrets.mask(t));
    expect(text).not.toContain('hunter22');
    expect(text).not.toContain('4242');
    expect(decodeValue(text)).toMatchObject({ msg: 'pw=********', '********': new PyDict([['k', 'x********x']]), pin: '********', port: '********0', ok: 7 });
  });

  it('keeps a `__proto__` key (a parsed JSON result may have one) as a member, in order', () => {
    const value = JSON.parse('{"b": 1, "__proto__": {"x": "y"}, "a": [2]}') as Record<string, unknown>;
    const text = encodeValue(value, keep);
    expect(text).toBe('{"b":1,"__proto__":{"x":"y"},"a":[2]}');
    expect(Object.keys(decodeValue(text) as object)).toEqual(['b', '__proto__', 'a']);
  });
});
