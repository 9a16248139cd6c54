import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { SHELL_PRELUDE } from '../../src/connections/shell-scripts.js';
import { USERLAND_PROBE } from '../../src/shell/userland.js';

/**
 * What a connection's long-lived shell starts before the first task, run by this machine's
 * `sh` (dash) under `strace -f`: its prelude with library definitions, and the userland
 * probe. A subshell or program added back fails here, naming what it started.
 */
const dir = mkdtempSync(join(tmpdir(), 'fleet-connection-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Started {
  processes: number;
  programs: Record<string, number>;
  stdout: string;
}

async function started(script: string): Promise<Started> {
  const log = join(dir, `trace-${Math.random().toString(36).slice(2)}`);
  const result = await execa('strace', ['-f', '-qq', '-e', 'trace=process', '-o', log, 'sh'], { input: script, reject: false });
  expect(result.exitCode, result.stderr).toBe(0);
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const root = lines[0]!.split(/\s+/)[0];
  const programs: Record<string, number> = {};
  for (const line of lines) {
    const match = /^(\d+)\s+execve\("([^"]+)"/.exec(line);
    if (!match || match[1] === root) continue;
    const name = basename(match[2] as string);
    programs[name] = (programs[name] ?? 0) + 1;
  }
  const processes = new Set(lines.map((line) => line.split(/\s+/)[0]).filter((pid) => pid !== root)).size;
  return { processes, programs, stdout: result.stdout };
}

const libraries = ['lib_one() { echo one; }', 'lib_two() { echo two; }', 'lib_three() { echo three; }'];
const definitions = libraries.map((text, index) => `__fleet_define __fleet_lib_${index} '${text}'`).join('\n');

describe('the processes a connection starts before its first task', async () => {
  const strace = await execa('strace', ['-f', '-qq', '-o', '/dev/null', 'true'], { reject: false }).catch(() => null);
  const traced = strace?.exitCode === 0;

  it.runIf(traced)('the prelude: one base64 to learn its flag; defining libraries starts nothing', async () => {
    const run = await started(`${SHELL_PRELUDE}${definitions}\n__fleet_lib_0; __fleet_lib_1; __fleet_lib_2; lib_one; lib_two; lib_three\n`);
    expect(run.stdout).toBe('one\ntwo\nthree');
    expect(run.programs).toEqual({ base64: 1 });
    expect(run.processes).toBe(1);
  });

  it.runIf(traced)('are counted: a definition tried in a subshell first shows up as one more process', async () => {
    const base = await started(`${SHELL_PRELUDE}${definitions}\n`);
    const more = await started(`${SHELL_PRELUDE}${definitions}\n(eval 'lib_four() { :; }')\n`);
    expect(more.processes).toBe(base.processes + 1);
  });

  it.runIf(traced)('the userland probe: uname and stat, in a shell that knows its base64 flag', async () => {
    const run = await started(`__fleet_b64d=-d\n${USERLAND_PROBE}`);
    expect(run.programs).toEqual({ uname: 1, stat: 1 });
    expect(run.processes).toBe(2);
  });
});
