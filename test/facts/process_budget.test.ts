import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { factsScript } from '../../src/facts/index.js';
import { pythonFactsScript } from '../../src/facts/python.js';
import { moduleScriptText } from '../../src/modules/remote.js';
import { Script } from '../../src/shell/script.js';
import { localUserland } from '../modules/system/harness.js';
import { canTrace, tracedSh, type Started } from '../support/traced_sh.js';

/**
 * What the facts script may start on a Debian 12 host (this machine: /proc, iproute2, GNU
 * coreutils, the minimal lsb_release; pid 1's name settles service_mgr, so no readlink; root
 * with a bounding set short of cap_last_cap, so capsh runs, as caps.py has it run).
 * The budget in src/facts/index.ts; a new process in a family fails here, naming it.
 */
const ALLOWED: Record<string, number> = { grep: 1, getconf: 1, getent: 2, env: 1, date: 1, ip: 1, cksum: 1, capsh: 1, stat: 1 };
const BUDGET = 10;

/**
 * read() calls of the whole script and what it starts (here ~1.1k, as root): the shell's read
 * builtin reads a byte per call, which on this machine's /proc files made 11.3k before the
 * files were read by one grep (shared_shell.ts fleet_read_files).
 */
const READ_BUDGET = 2000;

async function readCalls(script: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-reads-'));
  try {
    const log = join(dir, 'trace');
    const run = await execa('strace', ['-f', '-qq', '-e', 'trace=read', '-o', log, 'sh'], { input: script, reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    return readFileSync(log, 'utf8').split('\n').filter((line) => /^\d+\s+read\(/.test(line)).length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a script with `sh` under `strace -f` and counts what it started. */
async function started(script: string): Promise<Started> {
  const run = await tracedSh(script);
  expect(run.rc, run.stderr).toBe(0);
  return run;
}

async function factsText(extra = ''): Promise<string> {
  return moduleScriptText(Script.raw(`${factsScript(await localUserland())}${extra}`), await localUserland());
}

describe('the processes Gathering Facts starts on the host', async () => {
  const traced = await canTrace();

  it.runIf(traced)(`stay within the budget: ${BUDGET}, no subshell`, async () => {
    const run = await started(await factsText());
    const over = Object.entries(run.programs).filter(([name, count]) => count > (ALLOWED[name] ?? 0));
    expect(over, `programs beyond the budget: ${JSON.stringify(run.programs)}`).toEqual([]);
    expect(run.forksWithoutExec).toBe(0);
    expect(run.processes).toBeLessThanOrEqual(BUDGET);
  });

  it.runIf(traced)('are counted: one more command substitution shows up as one more process', async () => {
    const base = await started(await factsText());
    const more = await started(await factsText('\nfleet_extra=$(uname -v)'));
    expect(more.processes).toBe(base.processes + 1);
    expect(more.programs.uname).toBe((base.programs.uname ?? 0) + 1);
  });

  it.runIf(traced)(`read files by one grep, not a byte per read(): at most ${READ_BUDGET} reads`, async () => {
    const reads = await readCalls(await factsText());
    expect(reads).toBeLessThanOrEqual(READ_BUDGET);
    // The count is of the script's reads: a file the shell reads itself shows up.
    expect(await readCalls(await factsText('\nwhile IFS= read -r fleet_l; do :; done < /proc/cpuinfo'))).toBeGreaterThan(reads + 500);
  });

  it.runIf(traced)('the python probe starts ls and, when its signature is new, the interpreter: no subshell', async () => {
    const text = moduleScriptText(pythonFactsScript('/usr/bin/python3', `budget-${Date.now()}`), await localUserland());
    const run = await started(text);
    expect(run.programs).toEqual({ ls: 1, python3: 1 });
    expect(run.processes).toBe(2);
  });
});
