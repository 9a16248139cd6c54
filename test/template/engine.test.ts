// The engine's own differential tests: every expectation in engine.expected.json comes from
// real Ansible 2.14 (scripts/gen-engine-expected.py). The engine runs here with a small local
// set of filters, tests and lookups, so these cases test the engine and nothing else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Templar, type PluginRegistry } from '../../src/template/index.js';
import type { Filter, Lookup, Test } from '../../src/template/registry.js';
import { isStr, pyIterable, pyLength, pyRepr, pyStr, pyTruthy, strValue } from '../../src/template/python/index.js';
import { literalEval } from '../../src/template/runtime/literal.js';
import { PyDict, PyFloat, PyTuple, PyUndefined, PyUnsafe, type PyValue } from '../../src/template/values.js';

const FIXTURES = join(import.meta.dirname, 'engine-fixtures');

interface Case {
  name: string;
  mode: 'template' | 'file' | 'conditional';
  template: PyValue;
  vars: string;
  ok: boolean;
  type?: string;
  repr?: string;
  key?: string;
}

/** json.dumps of the simple values these cases feed to_json. */
function dumps(v: PyValue): string {
  if (Array.isArray(v)) return `[${v.map(dumps).join(', ')}]`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  return pyStr(v);
}

const filters: Record<string, Filter> = {
  string: (_env, v) => pyStr(v),
  to_json: (_env, v) => dumps(v),
  int: (_env, v) => (typeof v === 'number' ? v : Number.parseInt(pyStr(v), 10) || 0),
  default: (_env, v, { args }) => (v instanceof PyUndefined ? (args[0] ?? '') : v),
  abs: (_env, v) => Math.abs(v as number),
  upper: (_env, v) => pyStr(v).toUpperCase(),
  length: (_env, v) => pyLength(v),
  list: (_env, v) => [...pyIterable(v)],
};

const tests: Record<string, Test> = {
  defined: (_env, v) => !(v instanceof PyUndefined),
  undefined: (_env, v) => v instanceof PyUndefined,
  none: (_env, v) => v === null,
  string: (_env, v) => isStr(v),
  divisibleby: (_env, v, { args }) => (v as number) % (args[0] as number) === 0,
};

const lookups: Record<string, Lookup> = {
  items: (_env, terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])),
};

const plugins: PluginRegistry = { filters, tests, lookups };

/** The name of the builtin type a result derives from, as the generator records it. */
function typeName(v: PyValue): string {
  if (isStr(v)) return 'str';
  if (typeof v === 'number') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (v === null) return 'NoneType';
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDict) return 'dict';
  return v.pyType;
}

function run(c: Case): Record<string, unknown> {
  const vars = literalEval(c.vars) as PyDict;
  const templar = new Templar({ vars, plugins, lookupContext: { basedir: FIXTURES, searchPaths: [], env: {} } });
  try {
    const result =
      c.mode === 'template' ? templar.template(c.template) : c.mode === 'file' ? templar.renderFile(c.template as string) : templar.evaluateConditional(c.template);
    const plain = result instanceof PyUnsafe ? result.value : result;
    return { ok: true, type: typeName(plain), repr: pyRepr(isStr(plain) ? strValue(plain) : plain) };
  } catch (e) {
    return { ok: false, key: (e as Error).message.split('\n')[0] };
  }
}

const cases = JSON.parse(readFileSync(join(import.meta.dirname, 'engine.expected.json'), 'utf8')) as Case[];

describe('template engine matches Ansible 2.14', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const expected =
      c.mode === 'conditional' && c.ok
        ? // evaluate_conditional returns the value it tested; fleet's API returns its truth.
          { ok: true, type: 'bool', repr: pyTruthy(literalEval(c.repr as string) ?? (c.repr as string)) ? 'True' : 'False' }
        : c.ok
          ? { ok: true, type: c.type, repr: c.repr }
          : { ok: false, key: c.key };
    expect(run(c)).toEqual(expected);
  });
});
