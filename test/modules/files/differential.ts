import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { ModuleDef, ModuleResult } from '../../../src/modules/types.js';
import { Templar } from '../../../src/template/index.js';
import { PyFloat, toPy, type PyDict } from '../../../src/template/values.js';
import { buildTree, makeContext, runModule, snapshotTree, type TreeSetup } from './harness.js';

/** One case of test/modules/files/cases/<module>.json (the generator's input too). */
interface Case {
  name: string;
  module?: string;
  setup?: TreeSetup[];
  controller?: TreeSetup[];
  args: Record<string, unknown>;
  runs?: number;
  check?: boolean;
  diff?: boolean;
  /** Result keys whose values legitimately differ with the temp dir's name (a link's size). */
  ignore?: string[];
  /** Compare files' mtimes too (cases that set explicit times). */
  compareMtime?: boolean;
  /** Task variables (for templates). */
  vars?: Record<string, unknown>;
  /** A regex for randomly generated names (tempfile), replaced by RANDOM in results and trees. */
  randomNames?: string;
  /** A documented divergence from Ansible: the case is expected to fail until fixed. */
  knownDifference?: string;
}

interface Fixture {
  runs: Record<string, unknown>[];
  tree: Record<string, unknown>;
}

// Times a task reads from the clock ("now") cannot match between two runs.
const CLOCK_KEYS = new Set(['atime', 'mtime', 'ctime']);
const BACKUP_SUFFIX = /\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~/g;
const ANSIBLE_TEMP = /\/\.ansible\/tmp\//;
// The file the copy module was given: Ansible's upload into its remote temp dir, fleet's
// fleet_put_tmp mktemp beside the destination.
const ANSIBLE_UPLOAD = /\/\.ansible\/tmp\/ansible-tmp-[^/]+\/source$/;
const FLEET_UPLOAD = /\/\.fleet\.[A-Za-z0-9]{6}$/;
const UPLOAD = '<uploaded temp file>';

function substitute(value: unknown, root: string, ctrl: string): unknown {
  if (typeof value === 'string') return value.split('@ROOT@').join(root).split('@CTRL@').join(ctrl);
  if (Array.isArray(value)) return value.map((item) => substitute(item, root, ctrl));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, root, ctrl)]));
  }
  return value;
}

/**
 * Makes an Ansible and a fleet result comparable: paths under the case's dirs become
 * @ROOT@/@CTRL@, backup names lose their pid and time, copy's `src` when it names the
 * uploaded temp file (Ansible's under ~/.ansible/tmp, fleet's beside dest) becomes one
 * placeholder, and other keys whose Ansible value is one of its own temp files (a diff's
 * `after_header`, the controller-side content file of a `force: no` skip) are dropped,
 * since fleet sends content inside the script and has no such file.
 */
export function normalize(value: unknown, root?: string, ctrl?: string): unknown {
  if (typeof value === 'string') {
    let text = value;
    if (root) text = text.split(root).join('@ROOT@');
    if (ctrl) text = text.split(ctrl).join('@CTRL@');
    return text.replace(BACKUP_SUFFIX, '.BACKUP~');
  }
  if (Array.isArray(value)) return value.map((item) => normalize(item, root, ctrl));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === 'src' && typeof item === 'string' && (ANSIBLE_UPLOAD.test(item) || FLEET_UPLOAD.test(item))) {
        out[key] = UPLOAD;
        continue;
      }
      if (typeof item === 'string' && ANSIBLE_TEMP.test(item)) continue;
      // Python tracebacks Ansible attaches to failures; fleet has none to give.
      if (key === 'exception') continue;
      out[key.replace(BACKUP_SUFFIX, '.BACKUP~')] = CLOCK_KEYS.has(key) && typeof item === 'number' ? '<time>' : normalize(item, root, ctrl);
    }
    return out;
  }
  return value;
}

function plain(result: ModuleResult): unknown {
  return JSON.parse(JSON.stringify(result, (_key, value: unknown) => (value instanceof PyFloat ? value.value : value)));
}

/** Drops keys named plainly (`size`) or by a dotted path (`stat.inode`). */
function withoutKeys(value: unknown, keys: readonly string[]): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (keys.includes(key)) continue;
    const nested = keys.filter((path) => path.startsWith(`${key}.`)).map((path) => path.slice(key.length + 1));
    out[key] = nested.length > 0 ? withoutKeys(item, nested) : item;
  }
  return out;
}

/** The tree as compared; with `compareMtime` each file's mtime beside it, kept from normalize's blanking of clock keys. */
function treeForCompare(tree: Record<string, unknown>, compareMtime: boolean, root?: string): unknown {
  const out: Record<string, unknown> = {};
  const mtimes: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(tree)) {
    out[name] = withoutKeys(item, ['mtime']);
    const mtime = (item as { mtime?: unknown }).mtime;
    if (compareMtime && mtime !== undefined) mtimes[name.replace(BACKUP_SUFFIX, '.BACKUP~')] = mtime;
  }
  return compareMtime ? { tree: normalize(out, root), mtimes } : normalize(out, root);
}

/** Registers one vitest test per case: fleet's results and final tree must equal Ansible's. */
export function differentialSuite(moduleName: string, modules: Record<string, ModuleDef>): void {
  const here = new URL('.', import.meta.url).pathname;
  const cases = (JSON.parse(readFileSync(join(here, 'cases', `${moduleName}.json`), 'utf8')) as { cases: Case[] }).cases;
  const fixtures = JSON.parse(readFileSync(join(here, 'fixtures', `${moduleName}.json`), 'utf8')) as Record<string, Fixture>;
  for (const testCase of cases) {
    const register = testCase.knownDifference ? test.fails : test;
    register(`${moduleName}: ${testCase.name} matches Ansible${testCase.knownDifference ? ` (known difference: ${testCase.knownDifference})` : ''}`, async () => {
      const work = mkdtempSync(join(tmpdir(), 'fleet-diff-'));
      try {
        const root = join(work, 'host');
        const ctrl = join(work, 'ctrl');
        buildTree(root, testCase.setup ?? []);
        buildTree(ctrl, testCase.controller ?? []);
        const def = modules[testCase.module ?? moduleName];
        if (!def) throw new Error(`no module ${testCase.module ?? moduleName}`);
        const templar = new Templar({ vars: toPy(testCase.vars ?? {}) as PyDict });
        const ctx = makeContext({ cwd: root, controllerDir: ctrl, check: testCase.check ?? false, diff: testCase.diff ?? false, templar });
        const expected = fixtures[testCase.name];
        if (!expected) throw new Error(`no fixture for ${testCase.name}; run scripts/gen-files-fixtures.py ${moduleName}`);
        const args = substitute(testCase.args, root, ctrl) as Record<string, unknown>;
        const random = testCase.randomNames ? new RegExp(testCase.randomNames, 'g') : null;
        const derandom = (value: unknown) => (random ? JSON.parse(JSON.stringify(value).replace(random, 'RANDOM')) : value) as unknown;
        for (let run = 0; run < (testCase.runs ?? 2); run++) {
          const result = await runModule(def, args, ctx);
          const ignore = testCase.ignore ?? [];
          expect(derandom(withoutKeys(normalize(plain(result), root, ctrl), ignore)), `run ${run + 1}`).toEqual(derandom(withoutKeys(normalize(expected.runs[run]), ignore)));
        }
        const compareMtime = testCase.compareMtime === true;
        expect(derandom(treeForCompare(snapshotTree(root), compareMtime, root))).toEqual(derandom(treeForCompare(expected.tree, compareMtime)));
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  }
}
