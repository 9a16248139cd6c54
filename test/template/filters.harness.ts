/**
 * Runs filter, test and lookup plugins directly, through a small PluginEnv, and compares
 * each result with what Ansible 2.14 returned for the same call. The expected values in
 * the test files are written by test/template/filters.oracle.py (see its docstring).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filters } from '../../src/template/filters/index.js';
import { lookups } from '../../src/template/lookups/index.js';
import { PyNamedTuple, dictGet, dictSet, pyRepr, pyStr } from '../../src/template/python/index.js';
import { strptime } from '../../src/template/filters/time.js';
import type { CallArgs, LookupContext, PluginEnv } from '../../src/template/registry.js';
import { tests } from '../../src/template/tests/index.js';
import { PyDict, PyFloat, PyTuple, PyUndefined, type PyValue } from '../../src/template/values.js';

export type Encoded = unknown;

/** A result's repr, an error's type and message, or the message an undefined result carries. */
export type Outcome = { ok: string } | { err: string } | { undefined: string };

export interface OracleCase {
  /** f: filter, t: test, l: lookup (`query()`). */
  k: 'f' | 't' | 'l';
  n: string;
  v?: Encoded;
  a?: Encoded[];
  kw?: Record<string, Encoded>;
  /** Variables a lookup sees. */
  vars?: Record<string, Encoded>;
  want?: Outcome;
}

/** The oracle's JSON encoding: {$f} float, {$t} tuple, {$d} dict with any keys, {$u} undefined. */
export function decode(v: Encoded): PyValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? v : new PyFloat(v);
  if (Array.isArray(v)) return v.map(decode);
  if (typeof v === 'object') {
    const o = v as Record<string, Encoded>;
    if ('$f' in o) return new PyFloat(Number(o.$f));
    if ('$t' in o) return new PyTuple((o.$t as Encoded[]).map(decode));
    if ('$d' in o) {
      const dict = new PyDict();
      for (const [k, x] of o.$d as Array<[Encoded, Encoded]>) dictSet(dict, decode(k), decode(x));
      return dict;
    }
    if ('$u' in o) return new PyUndefined(`'${String(o.$u)}' is undefined`);
    if ('$dt' in o) return strptime(String(o.$dt), '%Y-%m-%d %H:%M:%S');
    if ('$gt' in o) return new PyNamedTuple((o.$gt as Encoded[]).map(decode), ['grouper', 'list']);
    return new PyDict(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  throw new Error(`cannot decode ${String(v)}`);
}

/** Jinja2's `environment.getitem` for plain data: item first, undefined when missing. */
function getAttribute(value: PyValue, attribute: string | number): PyValue {
  if (value instanceof PyDict) {
    const found = dictGet(value, attribute);
    if (found !== undefined) return found;
  } else if ((Array.isArray(value) || value instanceof PyTuple) && typeof attribute === 'number') {
    const items = Array.isArray(value) ? value : value.items;
    const found = items[attribute < 0 ? items.length + attribute : attribute];
    if (found !== undefined) return found;
  }
  const owner = value instanceof PyDict ? 'dict object' : Array.isArray(value) ? 'list object' : `${typeof value} object`;
  if (typeof attribute === 'number') return new PyUndefined(`${owner} has no element ${attribute}`);
  return new PyUndefined(`'${owner}' has no attribute '${String(attribute)}'`);
}

export function fakeEnv(variables: Map<string, PyValue> = new Map(), context?: Partial<LookupContext>): PluginEnv {
  const env: PluginEnv = {
    callFilter: (name: string, value: PyValue, call: CallArgs) => {
      const filter = filters[name];
      if (!filter) throw new Error(`No filter named '${name}'.`);
      return filter(env, value, call);
    },
    callTest: (name: string, value: PyValue, call: CallArgs) => {
      const test = tests[name];
      if (!test) throw new Error(`No test named '${name}'.`);
      return test(env, value, call);
    },
    getAttribute,
    // Only variable references are rendered: enough for lookups' templated terms.
    renderTemplate: (text: string, extra?: Map<string, PyValue>) =>
      text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => {
        const found = extra?.get(name) ?? variables.get(name);
        if (found === undefined) throw new Error(`'${name}' is undefined`);
        return pyStr(found);
      }),
    lookupVariable: (name: string) => variables.get(name),
    variableNames: () => [...variables.keys()],
    lookupContext: { basedir: process.cwd(), searchPaths: [], env: {}, ...context },
  };
  return env;
}

function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'pyName' in error) return String((error as { pyName: unknown }).pyName);
  return error instanceof Error ? error.name : 'Error';
}

export function runCase(c: OracleCase, context?: Partial<LookupContext>): Outcome {
  const basedir = context?.basedir ?? process.cwd();
  const vars = JSON.parse(JSON.stringify(c.vars ?? {}).split('<dir>').join(basedir)) as Record<string, Encoded>;
  const variables = new Map(Object.entries(vars).map(([k, v]) => [k, decode(v)]));
  const searchPath = variables.get('ansible_search_path');
  const searchPaths = Array.isArray(searchPath) ? searchPath.map((p) => pyStr(p)) : [];
  const env = fakeEnv(variables, { ...context, searchPaths });
  const call: CallArgs = {
    args: (c.a ?? []).map(decode),
    kwargs: new Map(Object.entries(c.kw ?? {}).map(([k, v]) => [k, decode(v)])),
  };
  const outcome = (result: PyValue): Outcome => (result instanceof PyUndefined ? { undefined: result.hint } : { ok: pyRepr(result) });
  try {
    if (c.k === 'f') return outcome(env.callFilter(c.n, decode(c.v ?? null), call));
    if (c.k === 't') return outcome(env.callTest(c.n, decode(c.v ?? null), call));
    const lookup = lookups[c.n];
    if (!lookup) throw new Error(`lookup plugin (${c.n}) not found`);
    return outcome(lookup(env, call.args, call.kwargs));
  } catch (error) {
    return { err: `${errorName(error)}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const label = (c: OracleCase): string =>
  `${c.k === 'f' ? '|' : c.k === 't' ? 'is ' : 'query '}${c.n} ${JSON.stringify([c.v, ...(c.a ?? [])]).slice(0, 80)}${c.kw ? ` ${JSON.stringify(c.kw)}` : ''}`;

/** Writes `files` (path: text) under a new temporary directory, returned as a real path. */
function writeFixtures(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fleet-lookups-')));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/**
 * One vitest case per oracle case; an expected error compares its type and message. With
 * `files`, lookups run from a temporary basedir holding them, shown as `<dir>` in results.
 */
export function runOracleCases(group: string, cases: OracleCase[], files?: Record<string, string>): void {
  describe(group, () => {
    const basedir = files ? writeFixtures(files) : undefined;
    afterAll(() => {
      if (basedir) rmSync(basedir, { recursive: true, force: true });
    });
    cases.forEach((c, i) => {
      it(`${i}: ${label(c)}`, () => {
        expect(c.want, 'case has no expected value: run filters.oracle.py').toBeDefined();
        const got = runCase(c, basedir ? { basedir } : undefined);
        const shown = basedir ? JSON.parse(JSON.stringify(got).split(basedir).join('<dir>')) : got;
        expect(shown).toEqual(c.want);
        // password_hash runs 535,000–656,000 SHA rounds, which a loaded machine takes seconds over.
      }, 60_000);
    });
  });
}
