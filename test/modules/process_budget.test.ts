import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { copyModule } from '../../src/modules/files/copy.js';
import { fileModule } from '../../src/modules/files/file.js';
import { lineinfileModule } from '../../src/modules/files/lineinfile.js';
import { statModule } from '../../src/modules/files/stat.js';
import { templateModule } from '../../src/modules/files/template.js';
import type { ExecScript } from '../../src/modules/remote.js';
import { command } from '../../src/modules/system/command.js';
import type { ModuleDef } from '../../src/modules/types.js';
import { inlineLibraries } from '../../src/shell/libraries.js';
import { canTrace, tracedSh, type Started } from '../support/traced_sh.js';
import { localExec, runModule } from './system/harness.js';

/**
 * What a task's script starts on the host when nothing changes, run by this machine's `sh`
 * (Debian 12: dash, GNU coreutils) under `strace -f`. The connection adds one subshell per
 * task around this (connections/shell-scripts.ts); everything else a no-change run forks is
 * counted here, per program. A fork added back (a `$(…)`, a pipe, a helper program) fails
 * the task's line, naming what it started.
 */
const NO_CHANGE_BUDGETS: { name: string; def: ModuleDef; args: (dir: string) => Record<string, unknown>; allowed: Record<string, number> }[] = [
  // The directory's lstat, which also answers mode, owner and path info.
  { name: 'file state=directory', def: fileModule, args: (dir) => ({ path: join(dir, 'd'), state: 'directory', mode: '0750' }), allowed: { stat: 1 } },
  { name: 'file state=file', def: fileModule, args: (dir) => ({ path: join(dir, 'src.j2'), state: 'file', mode: '0644' }), allowed: { stat: 1 } },
  // One lstat for the state, the size and the attributes; small text is compared by the shell.
  { name: 'copy content', def: copyModule, args: (dir) => ({ dest: join(dir, 'identity'), content: 'h1 Debian\n', mode: '0644' }), allowed: { stat: 1 } },
  // Larger content is hashed, and only because the sizes agree.
  { name: 'copy of 2 KiB', def: copyModule, args: (dir) => ({ dest: join(dir, 'large'), content: 'x'.repeat(2047) + '\n', mode: '0644' }), allowed: { stat: 1, sha1sum: 1 } },
  // Names stat already gives for the file's owner and group need no id/getent lookup.
  {
    name: 'copy content with owner and group names',
    def: copyModule,
    args: (dir) => ({ dest: join(dir, 'owned'), content: 'x\n', owner: userInfo().username, group: groupName(), mode: '0644' }),
    allowed: { stat: 1 },
  },
  { name: 'template', def: templateModule, args: (dir) => ({ src: join(dir, 'src.j2'), dest: join(dir, 'env'), mode: '0600' }), allowed: { stat: 1 } },
  // The attributes' lstat gives the size, and a file of at most 1 KiB comes back read by the
  // shell itself; its SHA-1 is taken on the controller.
  {
    name: 'lineinfile',
    def: lineinfileModule,
    args: (dir) => ({ path: join(dir, 'local.conf'), regexp: '^log_level=', line: 'log_level=info', create: true, mode: '0644' }),
    allowed: { stat: 1 },
  },
  // A larger one comes back through cat.
  {
    name: 'lineinfile of 2 KiB',
    def: lineinfileModule,
    args: (dir) => ({ path: join(dir, 'large.conf'), regexp: '^log_level=', line: 'log_level=info', mode: '0644' }),
    allowed: { cat: 1, stat: 1 },
  },
  { name: 'command with creates', def: command, args: (dir) => ({ _raw_params: `touch ${join(dir, 'made')}`, creates: join(dir, 'made') }), allowed: {} },
  { name: 'stat', def: statModule, args: (dir) => ({ path: join(dir, 'identity'), get_mime: false, get_attributes: false }), allowed: { stat: 1, sha1sum: 1 } },
];

/** The name of this process's group, as `id -gn` gives it. */
function groupName(): string {
  return execaSync('id', ['-gn']).stdout.trim();
}

const dir = mkdtempSync(join(tmpdir(), 'fleet-module-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An ExecScript that runs the script like the harness does, under `strace -f`, and keeps what it started. */
function tracedExec(runs: Started[]): ExecScript {
  return async (script, options = {}) => {
    const run = await tracedSh(inlineLibraries(script, options.libraries));
    runs.push(run);
    return { rc: run.rc, stdout: run.stdout, stderr: run.stderr };
  };
}

describe('the processes a no-change task starts on the host', async () => {
  const traced = await canTrace();
  mkdirSync(join(dir, 'd'));
  writeFileSync(join(dir, 'src.j2'), 'APP_PORT={{ 40 + 2 }}\n');
  chmodSync(join(dir, 'src.j2'), 0o644);
  writeFileSync(join(dir, 'local.conf'), 'a=1\nlog_level=debug\n');
  writeFileSync(join(dir, 'large.conf'), `${'# padding\n'.repeat(205)}log_level=debug\n`);

  for (const { name, def, args, allowed } of NO_CHANGE_BUDGETS) {
    const budget = Object.values(allowed).reduce((sum, count) => sum + count, 0);
    it.runIf(traced)(`${name}: ${budget} (${JSON.stringify(allowed)}), no subshell`, async () => {
      const first = await runModule(def, args(dir), { exec: localExec });
      expect(first.failed, JSON.stringify(first)).not.toBe(true);
      const runs: Started[] = [];
      const again = await runModule(def, args(dir), { exec: tracedExec(runs) });
      expect(again.changed, JSON.stringify(again)).toBe(false);
      // One round trip: every script the task sent is counted.
      expect(runs).toHaveLength(1);
      const run = runs[0]!;
      const over = Object.entries(run.programs).filter(([program, count]) => count > (allowed[program] ?? 0));
      expect(over, `programs beyond the budget: ${JSON.stringify(run.programs)}`).toEqual([]);
      expect(run.processes, `processes started: ${JSON.stringify(run.programs)}`).toBeLessThanOrEqual(budget);
    });
  }

  it.runIf(traced)('a command that prints nothing: its two empty outputs come back without a cat', async () => {
    const runs: Started[] = [];
    const result = await runModule(command, { _raw_params: `touch ${join(dir, 'touched')}` }, { exec: tracedExec(runs) });
    expect(result).toMatchObject({ changed: true, rc: 0, stdout: '', stderr: '' });
    expect(runs[0]!.programs).toEqual({ od: 1, mktemp: 1, date: 2, touch: 1, rm: 1 });
    const printing = await runModule(command, { _raw_params: 'printf x' }, { exec: tracedExec(runs) });
    expect(printing).toMatchObject({ stdout: 'x', stderr: '' });
    expect(runs[1]!.programs.cat).toBe(1);
  });

  it.runIf(traced)('are counted: a command substitution added to a no-change copy shows up as one more process', async () => {
    const base: Started[] = [];
    const more: Started[] = [];
    const copyArgs = { dest: join(dir, 'counted'), content: 'x\n', mode: '0644' };
    await runModule(copyModule, copyArgs, { exec: localExec });
    await runModule(copyModule, copyArgs, { exec: tracedExec(base) });
    const exec = tracedExec(more);
    await runModule(copyModule, copyArgs, { exec: (script, options) => exec(`${script}\nfleet_extra=$(uname)`, options) });
    expect(more[0]!.processes).toBe(base[0]!.processes + 1);
    expect(more[0]!.programs.uname).toBe(1);
  });
});
