import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { factsScript } from '../../src/facts/index.js';
import { pythonFactsScript } from '../../src/facts/python.js';
import { moduleScriptText } from '../../src/modules/remote.js';
import { Script } from '../../src/shell/script.js';
import { localUserland } from '../modules/system/harness.js';

/**
 * What the facts script may start on a Debian 12 host (this machine: /proc, iproute2, GNU
 * coreutils, the minimal lsb_release; pid 1's name settles service_mgr, so no readlink).
 * The budget in src/facts/index.ts; a new process in a family fails here, naming it.
 */
const ALLOWED: Record<string, number> = { getconf: 1, getent: 3, env: 1, date: 1, ip: 1, cksum: 1 };
const BUDGET = 8;

const dir = mkdtempSync(join(tmpdir(), 'fleet-facts-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Started {
  /** Every process the script's shell started, directly or not. */
  processes: number;
  /** The programs they ran, by name, with how many times. */
  programs: Record<string, number>;
  /** Processes that ran no program: subshells and pipeline stages of the shell itself. */
  forksWithoutExec: number;
}

/** Runs a script with `sh` under `strace -f` and counts what it started. */
async function started(script: string): Promise<Started> {
  const log = join(dir, `trace-${Math.random().toString(36).slice(2)}`);
  const result = await execa('strace', ['-f', '-qq', '-e', 'trace=process', '-o', log, 'sh'], { input: script, reject: false });
  expect(result.exitCode, result.stderr).toBe(0);
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const root = lines[0]!.split(/\s+/)[0];
  const pids = new Set(lines.map((line) => line.split(/\s+/)[0]).filter((pid) => pid !== root));
  const programs: Record<string, number> = {};
  const execed = new Set<string>();
  for (const line of lines) {
    const match = /^(\d+)\s+execve\("([^"]+)"/.exec(line);
    if (!match || match[1] === root) continue;
    execed.add(match[1] as string);
    const name = basename(match[2] as string);
    programs[name] = (programs[name] ?? 0) + 1;
  }
  return { processes: pids.size, programs, forksWithoutExec: [...pids].filter((pid) => !execed.has(pid)).length };
}

async function factsText(extra = ''): Promise<string> {
  return moduleScriptText(Script.raw(`${factsScript(await localUserland())}${extra}`), await localUserland());
}

describe('the processes Gathering Facts starts on the host', async () => {
  const strace = await execa('strace', ['-f', '-qq', '-o', '/dev/null', 'true'], { reject: false }).catch(() => null);
  const traced = strace?.exitCode === 0;

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

  it.runIf(traced)('the python probe starts ls and, when its signature is new, the interpreter: no subshell', async () => {
    const text = moduleScriptText(pythonFactsScript('/usr/bin/python3', `budget-${Date.now()}`), await localUserland());
    const run = await started(text);
    expect(run.programs).toEqual({ ls: 1, python3: 1 });
    expect(run.processes).toBe(2);
  });
});
