import { describe, expect, it } from 'vitest';
import { SHELL_PRELUDE } from '../../src/connections/shell-scripts.js';
import { USERLAND_PROBE } from '../../src/shell/userland.js';
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

  it.runIf(traced)('the prelude: one base64 to learn its flag; defining libraries starts nothing', async () => {
    const run = await tracedSh(`${SHELL_PRELUDE}${definitions}\n__fleet_lib_0; __fleet_lib_1; __fleet_lib_2; lib_one; lib_two; lib_three\n`);
    expect(run.stdout).toBe('one\ntwo\nthree\n');
    expect(run.programs).toEqual({ base64: 1 });
    expect(run.processes).toBe(1);
  });

  it.runIf(traced)('are counted: a definition tried in a subshell first shows up as one more process', async () => {
    const base = await tracedSh(`${SHELL_PRELUDE}${definitions}\n`);
    const more = await tracedSh(`${SHELL_PRELUDE}${definitions}\n(eval 'lib_four() { :; }')\n`);
    expect(more.processes).toBe(base.processes + 1);
  });

  it.runIf(traced)('the userland probe: uname and stat, in a shell that knows its base64 flag', async () => {
    const run = await tracedSh(`__fleet_b64d=-d\n${USERLAND_PROBE}`);
    expect(run.rc, run.stderr).toBe(0);
    expect(run.programs).toEqual({ uname: 1, stat: 1 });
    expect(run.processes).toBe(2);
  });
});
