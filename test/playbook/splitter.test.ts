import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKv, splitArgs } from '../../src/playbook/splitter.js';

// expected.json is written by fixtures/splitter/oracle.py with Ansible's own splitter.py.
interface Case {
  input: string;
  split?: string[];
  kv?: Record<string, string>;
  kv_raw?: Record<string, string>;
  error?: string;
}

const cases = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'splitter', 'expected.json'), 'utf8')) as Case[];

describe('k=v argument strings as Ansible splits them', () => {
  it.each(cases.map((c) => [JSON.stringify(c.input), c] as const))('%s', (_, c) => {
    if (c.error !== undefined) {
      expect(() => splitArgs(c.input)).toThrow(c.error);
      expect(() => parseKv(c.input)).toThrow(c.error);
      return;
    }
    expect(splitArgs(c.input)).toEqual(c.split);
    expect(Object.fromEntries(parseKv(c.input))).toEqual(c.kv);
    expect(Object.fromEntries(parseKv(c.input, true))).toEqual(c.kv_raw);
  });
});
