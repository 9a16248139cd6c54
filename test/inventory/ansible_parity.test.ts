import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Command, CommanderError } from 'commander';
import { formatWarning } from '../../src/cli/actions/inventory.js';
import { registerInventoryCommand } from '../../src/cli/inventory.js';
import { FleetError } from '../../src/errors.js';
import { errorOutput } from '../../src/errors_report.js';
import { HostSelector, loadInventory } from '../../src/inventory/index.js';

/**
 * Every case of cases.txt run through fleet and compared byte for byte with what
 * ansible-inventory / `ansible --list-hosts` printed for it (expected/, written by
 * scripts/gen-inventory-expected.sh): stdout, stderr and the exit code.
 */

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures');

interface Case {
  id: string;
  tool: 'inventory' | 'hosts';
  args: string[];
}

interface Outcome {
  stdout: string;
  stderr: string;
  rc: number;
}

function readCases(): Case[] {
  return readFileSync(join(here, 'cases.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [id = '', tool = '', ...args] = line.trim().split(/\s+/);
      if (tool !== 'inventory' && tool !== 'hosts') throw new Error(`unknown tool in case ${id}`);
      return { id, tool, args };
    });
}

function expected(id: string): Outcome {
  const read = (ext: string): string => readFileSync(join(here, 'expected', `${id}.${ext}`), 'utf8');
  return { stdout: read('out'), stderr: read('err'), rc: Number(read('rc').trim()) };
}

/**
 * `fleet inventory …` through its commander registration, with output captured; errors end
 * as src/cli/main.ts ends them (options → 5, FleetError → `ERROR! …` and 1). The program
 * holds only this command so other commands' imports cannot break this test.
 */
async function runFleetInventory(args: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const program = new Command('fleet').exitOverride();
  registerInventoryCommand(program);
  let rc = 0;
  try {
    await program.parseAsync(['node', 'fleet', 'inventory', ...args]);
  } catch (error) {
    if (error instanceof CommanderError) rc = 5;
    else if (error instanceof FleetError) {
      stderr += errorOutput(error);
      rc = 1;
    } else throw error;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr, rc };
}

/**
 * `ansible PATTERN -i SRC [-l LIMIT] --list-hosts`: the ad-hoc CLI turns a selection error
 * into "No hosts matched" unless a limit was given (cli/adhoc.py).
 */
function runHostSelection(args: string[]): Outcome {
  const [pattern = 'all', ...rest] = args;
  const sources: string[] = [];
  let limit: string | undefined;
  for (let i = 0; i < rest.length; i += 2) {
    if (rest[i] === '-i') sources.push(rest[i + 1] ?? '');
    else if (rest[i] === '-l') limit = rest[i + 1];
  }
  const loaded = loadInventory(sources);
  const warnings = [...loaded.warnings];
  const warn = (message: string): void => {
    if (!warnings.includes(message)) warnings.push(message);
  };
  const selector = new HostSelector(loaded.inventory, warn);
  let hosts: string[];
  const stderr = (): string => warnings.map(formatWarning).join('');
  try {
    hosts = selector.hostsForRun(limit, pattern);
  } catch (error) {
    if (!(error instanceof FleetError)) throw error;
    if (limit !== undefined) return { stdout: '', stderr: `${stderr()}ERROR! ${error.message}\n`, rc: 1 };
    hosts = [];
    warn('No hosts matched, nothing to do');
  }
  const stdout = `  hosts (${hosts.length}):\n${hosts.map((h) => `    ${h}\n`).join('')}`;
  return { stdout, stderr: stderr(), rc: 0 };
}

describe('fleet matches ansible-inventory and ansible --list-hosts', () => {
  const cwd = process.cwd();
  beforeAll(() => process.chdir(fixtures));
  afterAll(() => process.chdir(cwd));

  for (const c of readCases()) {
    it(`${c.id}: ${c.tool} ${c.args.join(' ')}`, async () => {
      const actual = c.tool === 'inventory' ? await runFleetInventory(c.args) : runHostSelection(c.args);
      const want = expected(c.id);
      // On an option error (exit 5) Ansible also prints argparse's usage text, which fleet's
      // own help replaces; the error message and exit code must still match.
      if (want.rc === 5) expect({ ...actual, stdout: '' }).toEqual({ ...want, stdout: '' });
      else expect(actual).toEqual(want);
    });
  }
});
