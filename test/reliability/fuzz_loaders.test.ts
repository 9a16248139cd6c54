/**
 * Fuzzing the loaders and the template engine in-process (no hosts): seeded mutations of the
 * repository's own inputs and generated documents. Whatever the input, fleet either accepts
 * it or rejects it with a FleetError naming file:line:col — never a crash, a JavaScript
 * TypeError or a stack trace. YAML alias bombs and deep nesting end quickly with a clear error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetError } from '../../src/errors.js';
import { HostSelector, hostVarsFromInventory, loadInventory, unparsedReason } from '../../src/inventory/index.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import { Templar } from '../../src/template/index.js';
import { PyDict } from '../../src/template/values.js';
import { loadGroupVars } from '../../src/vars/host_group_vars.js';
import { caseText, fuzzCase, loadSeeds, type FuzzCase, type FuzzTarget, type Seeds } from './fuzz_inputs.js';

const SEED = Number(process.env.FLEET_FUZZ_SEED ?? 20261127);
const CASES = Number(process.env.FLEET_FUZZ_CASES ?? 10_000);

let seeds: Seeds;
let root: string;
let caseNumber = 0;
/** Per target: inputs accepted, inputs rejected (with a good error), milliseconds spent. */
const tally = new Map<FuzzTarget, { accepted: number; rejected: number; ms: number }>();

beforeAll(() => {
  seeds = loadSeeds();
  root = mkdtempSync(join(tmpdir(), 'fleet-fuzz-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const templateVars = new PyDict([
  ['x', 'text'],
  ['n', 3],
  ['items', ['a', 'b']],
  ['d', new PyDict([['k', 'v']])],
]);

/** Runs the input through the loader for its target, from a file of its own. */
function load(target: FuzzTarget, text: string): void {
  const dir = join(root, String((caseNumber += 1)));
  mkdirSync(dir);
  switch (target) {
    case 'inventory-yaml':
    case 'inventory-ini': {
      const file = join(dir, target === 'inventory-yaml' ? 'hosts.yml' : 'hosts');
      writeFileSync(file, text);
      const loaded = loadInventory([file]);
      // A source no plugin parses is warned about and left out, as Ansible does; fleet validate
      // reports its reason, at the source's first line when the reason has no position.
      for (const unparsed of loaded.unparsed) {
        const reason = unparsedReason(unparsed);
        if (reason) throw reason.location ? reason : new FleetError(reason.message, { location: { file, line: 1, col: 1 } });
      }
      new HostSelector(loaded.inventory, () => {}).getHosts('all');
      for (const host of [...loaded.inventory.hosts.values()].slice(0, 5)) hostVarsFromInventory(loaded.inventory, host, { inventoryDirs: loaded.inventoryDirs });
      return;
    }
    case 'vars': {
      mkdirSync(join(dir, 'group_vars'));
      const file = join(dir, 'group_vars', 'all.yml');
      writeFileSync(file, text);
      loadGroupVars(dir, 'all');
      return;
    }
    case 'playbook': {
      const file = join(dir, 'site.yml');
      writeFileSync(file, text);
      loadPlaybook(file, { rolesPath: [], extraVars: new PyDict() });
      return;
    }
    case 'template': {
      const templar = new Templar({ vars: templateVars });
      templar.renderFile(text);
      templar.template(text);
      return;
    }
  }
}

/** What is wrong with how an input was rejected, or undefined when the rejection is a good one. */
function badRejection(error: unknown, fromFile: boolean): string | undefined {
  if (!(error instanceof FleetError)) return `not a FleetError: ${(error as Error)?.stack ?? String(error)}`;
  const text = error.format();
  if (/\n\s+at .+:\d+:\d+\)?/.test(text)) return `stack trace in the message: ${text}`;
  if (/\b(TypeError|RangeError|ReferenceError|SyntaxError: Invalid|Cannot read propert|is not a function|(?<!'|' object) is not iterable|undefined is not|Maximum call stack)/.test(text)) {
    return `JavaScript error leaked into the message: ${text}`;
  }
  if (fromFile) {
    const at = error.location;
    if (!at) return `no file:line:col: ${text}`;
    if (!(at.line >= 1 && at.col >= 1)) return `bad location ${at.file}:${at.line}:${at.col}: ${text}`;
  }
  return undefined;
}

function check(fuzz: FuzzCase): void {
  const text = caseText(fuzz, seeds);
  const counts = tally.get(fuzz.target) ?? { accepted: 0, rejected: 0, ms: 0 };
  tally.set(fuzz.target, counts);
  const started = performance.now();
  try {
    load(fuzz.target, text);
    counts.accepted += 1;
  } catch (error) {
    const problem = badRejection(error, fuzz.target !== 'template');
    if (problem) throw new Error(`${fuzz.target} input ${JSON.stringify(text.slice(0, 2000))}\n${problem}`);
    counts.rejected += 1;
  } finally {
    counts.ms += performance.now() - started;
  }
}

describe('fuzzing inventories, vars files, playbooks and templates', () => {
  it(`${CASES} seeded cases (seed ${SEED}): accepted, or rejected with a located FleetError`, () => {
    const started = Date.now();
    fc.assert(fc.property(fuzzCase, (fuzz) => check(fuzz)), { seed: SEED, numRuns: CASES });
    const seconds = (Date.now() - started) / 1000;
    const perTarget = [...tally].map(([target, { accepted, rejected, ms }]) => `${target} ${accepted} accepted/${rejected} rejected ${(ms / 1000).toFixed(1)} s`);
    console.log(`fuzz: ${CASES} cases in ${seconds.toFixed(1)} s (seed ${SEED}): ${perTarget.join('; ')}`);
  }, 300_000);
});

/** "Billion laughs": nine levels of ten aliases each stand for 10^9 strings. */
function aliasBomb(indent: string): string {
  let text = `${indent}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
  for (let level = 1; level < 10; level += 1) text += `${indent}a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]\n`;
  return text;
}

const BOUNDED_INPUTS: { name: string; target: FuzzTarget; text: string; message: RegExp }[] = [
  { name: 'alias bomb in a vars file', target: 'vars', text: aliasBomb(''), message: /YAML aliases expand to more than/ },
  { name: 'alias bomb in play vars', target: 'playbook', text: `- hosts: all\n  vars:\n${aliasBomb('    ')}  tasks: []\n`, message: /YAML aliases expand to more than/ },
  { name: 'alias bomb in inventory vars', target: 'inventory-yaml', text: `all:\n  vars:\n${aliasBomb('    ')}`, message: /YAML aliases expand to more than/ },
  { name: 'flow sequences 100,000 deep', target: 'vars', text: `x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, message: /nested more than \d+ levels/ },
  { name: 'flow mappings 100,000 deep', target: 'playbook', text: `- hosts: all\n  vars: ${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`, message: /nested more than \d+ levels/ },
  { name: 'block mappings 5,000 deep', target: 'inventory-yaml', text: Array.from({ length: 5000 }, (_, depth) => `${' '.repeat(depth)}k${depth}:`).join('\n'), message: /nested more than \d+ levels/ },
  { name: 'template parentheses 100,000 deep', target: 'template', text: `{{ ${'('.repeat(100_000)}1${')'.repeat(100_000)} }}`, message: /nests too deeply/ },
  { name: 'template blocks 10,000 deep', target: 'template', text: `${'{% if 1 %}'.repeat(10_000)}x${'{% endif %}'.repeat(10_000)}`, message: /nests too deeply/ },
];

describe('inputs built to exhaust the loader', () => {
  for (const input of BOUNDED_INPUTS) {
    it(`${input.name}: a clear, located error, soon, in bounded memory`, () => {
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      let rejection: unknown;
      try {
        load(input.target, input.text);
      } catch (error) {
        rejection = error;
      }
      const seconds = (performance.now() - started) / 1000;
      const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
      console.log(`bounded: ${input.name}: ${seconds.toFixed(2)} s, heap +${heapGrowthMb.toFixed(0)} MB`);
      expect(badRejection(rejection, input.target !== 'template')).toBeUndefined();
      expect((rejection as FleetError).message).toMatch(input.message);
      // Generous bounds: the unbounded behaviour is minutes and gigabytes.
      expect(seconds).toBeLessThan(20);
      expect(heapGrowthMb).toBeLessThan(512);
    });
  }
});

