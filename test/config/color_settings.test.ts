/**
 * ANSIBLE_NOCOLOR (also read from NO_COLOR, which beats it when both are set) and
 * ANSIBLE_FORCE_COLOR are boolean settings in ansible-core 2.14: `ANSIBLE_NOCOLOR=false` or
 * `NO_COLOR=x` leave colour on. `fleet apply` and ansible-playbook run a debug task on localhost
 * on a terminal (script(1) gives them one) and must colour, or not, alike.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible } from '../apply/support.js';
import { fleetBinDir } from '../support/fleet_cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-color-'));
let fleet: string;

beforeAll(() => {
  fleet = join(fleetBinDir(), 'fleet');
  writeFileSync(join(dir, 'play.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n');
});

/** Whether the `ok: [localhost]` line comes out green on a terminal. */
function greenOk(command: string, env: Record<string, string>): boolean {
  const run = spawnSync('script', ['-qec', `${command} -i localhost, -c local play.yml`, '/dev/null'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, TERM: 'xterm', ...env }, encoding: 'utf8' });
  expect(run.status, run.stdout).toBe(0);
  expect(run.stdout).toContain('ok: [localhost]');
  return run.stdout.includes('\x1b[0;32mok: [localhost]');
}

describe.skipIf(!hasAnsible())('colour settings on a terminal', () => {
  it.each([
    { env: {}, colour: true },
    { env: { ANSIBLE_NOCOLOR: 'false' }, colour: true },
    { env: { ANSIBLE_NOCOLOR: '1' }, colour: false },
    { env: { NO_COLOR: 'x' }, colour: true },
    { env: { NO_COLOR: 'true' }, colour: false },
    { env: { ANSIBLE_NOCOLOR: '1', NO_COLOR: '0' }, colour: true },
    { env: { ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: 'x' }, colour: false },
    { env: { ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: 'yes' }, colour: true },
  ])('%j', ({ env, colour }) => {
    expect(greenOk('/usr/bin/ansible-playbook', env)).toBe(colour);
    expect(greenOk(`${fleet} apply`, env)).toBe(colour);
  }, 60_000);
});
