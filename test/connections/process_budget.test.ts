import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderShellPid, SHELL_PRELUDE } from '../../src/connections/shell-scripts.js';
import { parseUserland, USERLAND_PROBE } from '../../src/shell/userland.js';
import { canTrace, tracedSh } from '../support/traced_sh.js';

/**
 * What a connection's long-lived shell starts before the first task, run by this machine's
 * `sh` (dash) under `strace -f`: its prelude with library definitions, and the userland
 * probe. A subshell or program added back fails here, naming what it started.
 */
const libraries = ['lib_one() { echo one; }', 'lib_two() { echo two; }', 'lib_three() { echo three; }'];
const definitions = libraries.map((text, index) => `__fleet_define __fleet_lib_${index} '${text}'`).join('\n');

describe('the processes a connection starts before its first task', async () => {
  const traced = await canTrace();

  it.runIf(traced)('the prelude on Linux starts nothing: uname -snrvm read from /proc, the base64 flag, its pid, library definitions', async () => {
    const run = await tracedSh(
      `${SHELL_PRELUDE}${renderShellPid('__fleet_end_ab')}${definitions}\n__fleet_lib_0; __fleet_lib_1; __fleet_lib_2; lib_one; lib_two; lib_three\nprintf '%s %s\\n' "$__fleet_b64d" "$__fleet_uname"\n`,
    );
    const [pid, ...rest] = run.stdout.split('\n');
    expect(pid).toMatch(/^\d+$/);
    expect(rest.join('\n')).toBe(`\n__fleet_end_ab:0\none\ntwo\nthree\n-d ${execFileSync('uname', ['-snrvm'], { encoding: 'utf8' })}`);
    expect(run.programs).toEqual({});
    expect(run.processes).toBe(0);
  });

  it.runIf(traced)('the prelude without /proc/sys/kernel (macOS) runs uname, and decodes a sample to learn its base64 flag', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'fleet-prelude-bin-'));
    try {
      writeFileSync(join(bin, 'uname'), "#!/bin/sh\necho 'Darwin mac.local 23.1.0 Darwin Kernel Version 23.1.0 arm64'\n", { mode: 0o755 });
      const prelude = SHELL_PRELUDE.replaceAll('/proc/sys/kernel/', `${bin}/none/`);
      const run = await tracedSh(`PATH=${bin}:$PATH\n${prelude}printf '%s|%s\\n' "$__fleet_b64d" "$__fleet_uname"\n`);
      expect(run.stdout).toBe('-d|Darwin mac.local 23.1.0 Darwin Kernel Version 23.1.0 arm64\n');
      expect(run.programs).toEqual({ uname: 1, base64: 1 });
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it.runIf(traced)('are counted: a definition tried in a subshell first shows up as one more process', async () => {
    const base = await tracedSh(`${SHELL_PRELUDE}${definitions}\n`);
    const more = await tracedSh(`${SHELL_PRELUDE}${definitions}\n(eval 'lib_four() { :; }')\n`);
    expect(more.processes).toBe(base.processes + 1);
  });

  it.runIf(traced)('the userland probe on Linux starts nothing in the shell the prelude set up', async () => {
    const run = await tracedSh(`${SHELL_PRELUDE}(\n${USERLAND_PROBE})\n`);
    expect(run.rc, run.stderr).toBe(0);
    // Only the subshell the framing runs every command in.
    expect(run.programs).toEqual({});
    expect(run.processes).toBe(1);
    expect(parseUserland('localhost', run.stdout)).toMatchObject({ system: 'Linux', stat: 'gnu', base64Decode: '-d' });
  });

  it.runIf(traced)('the userland probe in a shell without the prelude runs uname itself', async () => {
    const run = await tracedSh(`__fleet_b64d=-d\n${USERLAND_PROBE}`);
    expect(run.rc, run.stderr).toBe(0);
    expect(run.programs).toEqual({ uname: 1 });
    expect(run.processes).toBe(1);
    expect(parseUserland('localhost', run.stdout)).toMatchObject({ system: 'Linux', stat: 'gnu', base64Decode: '-d' });
  });

  it.runIf(traced)('the userland probe elsewhere asks stat which flavour it is', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'fleet-probe-bin-'));
    try {
      // A BSD host: uname says Darwin, stat refuses -c (as BSD stat does).
      writeFileSync(join(bin, 'uname'), "#!/bin/sh\necho 'Darwin mac.local 23.1.0 Darwin Kernel Version 23.1.0 arm64'\n", { mode: 0o755 });
      writeFileSync(join(bin, 'stat'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      const run = await tracedSh(`PATH=${bin}:$PATH __fleet_b64d=-D\n${USERLAND_PROBE}`);
      expect(run.programs).toEqual({ uname: 1, stat: 1 });
      expect(parseUserland('mac', run.stdout)).toMatchObject({ system: 'Darwin', machine: 'arm64', stat: 'bsd', base64Decode: '-D' });
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
