import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { findModule } from '../../../src/modules/index.js';
import type { ModuleResult } from '../../../src/modules/types.js';
import { fromPy, PyFloat, type PyValue } from '../../../src/template/values.js';
import { localExec, runModule, type RunOptions } from './harness.js';

/** One case of test/modules/system/cases/<file>.yml (see scripts/gen-system-fixtures.py). */
export interface Case {
  name: string;
  module: string;
  args?: Record<string, unknown>;
  setup?: string;
  effect?: string;
  check?: boolean;
  diff?: boolean;
  vars?: Record<string, unknown>;
}

interface Expected {
  name: string;
  result: Record<string, unknown>;
  effect?: { rc: number; stdout: string };
}

// Keys the executor adds or strips (not the module's): compared elsewhere or not at all.
const DROPPED_KEYS = new Set(['invocation', 'action', '_ansible_no_log', '_ansible_facts_cacheable', 'exception']);
const DROPPED_FALSE = new Set(['changed', 'failed']);
const VOLATILE: Record<string, [RegExp, string]> = {
  start: [/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/, '<datetime>'],
  // pause's measured duration varies with load; its format does not.
  stdout: [/^Paused for \d+\.\d+ (seconds|minutes)$/, '<paused>'],
  stop: [/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/, '<datetime>'],
  end: [/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/, '<datetime>'],
  delta: [/^\d+:\d\d:\d\d(\.\d{6})?$/, '<delta>'],
};
/** apt's cache time is when the machine last ran `apt-get update`, not something a module decides. */
const VOLATILE_EPOCH = new Set(['cache_update_time']);
/** Random temporary names (Python's mkstemp, mktemp(1)) inside any string value. */
const TEMP_NAME: [RegExp, string] = [/\/tmp\/crontab[A-Za-z0-9_]{8}/g, '/tmp/crontab<random>'];
/** _find_needle's list of searched paths: fleet's ctx.findFile does not report it. */
const SEARCHED_IN = /\nSearched in:[\s\S]*$/;

/** The checkout's root: fixtures record it as <repo> so they hold wherever the repo is cloned. */
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

/** Mirror of normalize() in scripts/gen-system-fixtures.py: sorted keys, volatile values as format markers. */
export function normalize(result: ModuleResult): Record<string, unknown> {
  const plain = JSON.parse(
    JSON.stringify(result, (_key, value: unknown) => (value instanceof Map || value instanceof PyFloat ? fromPy(value as PyValue) : value)).replaceAll(
      REPO_ROOT,
      '<repo>',
    ),
  ) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(plain).sort()) {
    let value = plain[key];
    if (DROPPED_KEYS.has(key) || (DROPPED_FALSE.has(key) && value === false)) continue;
    const volatile = VOLATILE[key];
    if (volatile && typeof value === 'string' && volatile[0].test(value)) value = volatile[1];
    if (VOLATILE_EPOCH.has(key) && Number.isInteger(value)) value = '<epoch>';
    if (typeof value === 'string') value = value.replace(TEMP_NAME[0], TEMP_NAME[1]).replace(SEARCHED_IN, '');
    out[key] = value;
  }
  return out;
}

async function shellStep(script: string): Promise<{ rc: number; stdout: string }> {
  const result = await localExec(script);
  return { rc: result.rc, stdout: result.stdout.replace(/[\r\n]+$/, '') };
}

export function loadCases(file: string): { cases: Case[]; expected: Expected[] } {
  const cases = parse(readFileSync(new URL(`./cases/${file}.yml`, import.meta.url), 'utf8')) as Case[];
  const expected = JSON.parse(readFileSync(new URL(`./fixtures/${file}.json`, import.meta.url), 'utf8')) as Expected[];
  return { cases, expected };
}

/** Runs one case with fleet and compares result and effect with what Ansible recorded. */
export async function replay(testCase: Case, expected: Expected, options: RunOptions = {}): Promise<void> {
  if (testCase.setup) expect((await shellStep(testCase.setup)).rc).toBe(0);
  const def = findModule(testCase.module);
  if (!def) throw new Error(`module ${testCase.module} is not registered`);
  const result = await runModule(def, testCase.args ?? {}, { ...options, check: testCase.check ?? false, diff: testCase.diff ?? false, vars: testCase.vars });
  expect(normalize(result)).toEqual(expected.result);
  if (testCase.effect) expect(await shellStep(testCase.effect)).toEqual(expected.effect);
}
