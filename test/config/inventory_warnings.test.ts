/**
 * LOCALHOST_WARNING and INVENTORY_UNPARSED_WARNING, from ANSIBLE_* variables and ansible.cfg:
 * `fleet apply` and `fleet inventory` without any inventory source print the warnings
 * ansible-playbook and ansible-inventory 2.14 print, and leave out the same ones. The playbook
 * runs a debug task on the implicit localhost, so nothing on the machine changes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible } from '../apply/support.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { cfgProject } from './cfg_project.js';

const root = mkdtempSync(join(tmpdir(), 'fleet-inventory-warnings-'));
let fleet: string;

const project = (name: string, cfg?: string): string => cfgProject(root, name, cfg);

function stderrOf(command: string, args: string[], cwd: string, extraEnv: Record<string, string>): string {
  const env = { PATH: process.env.PATH, HOME: root, ANSIBLE_NOCOLOR: '1', ...extraEnv };
  const run = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stderr;
}

beforeAll(() => {
  fleet = join(fleetBinDir(), 'fleet');
});

const UNPARSED = '[WARNING]: No inventory was parsed, only implicit localhost is available\n';
const LOCALHOST = "[WARNING]: provided hosts list is empty, only localhost is available. Note that\nthe implicit localhost does not match 'all'\n";

describe.skipIf(!hasAnsible())('the warnings about running without an inventory', () => {
  it.each([
    { name: 'default', env: {}, playbook: UNPARSED + LOCALHOST, inventory: UNPARSED },
    { name: 'localhost-off', env: { ANSIBLE_LOCALHOST_WARNING: 'false' }, playbook: UNPARSED, inventory: UNPARSED },
    { name: 'localhost-empty', env: { ANSIBLE_LOCALHOST_WARNING: '' }, playbook: UNPARSED, inventory: UNPARSED },
    { name: 'unparsed-off', env: { ANSIBLE_INVENTORY_UNPARSED_WARNING: '0' }, playbook: LOCALHOST, inventory: '' },
    { name: 'cfg-off', cfg: '[defaults]\nlocalhost_warning = no\n\n[inventory]\ninventory_unparsed_warning = False\n', env: {}, playbook: '', inventory: '' },
    { name: 'env-over-cfg', cfg: '[defaults]\nlocalhost_warning = no\n', env: { ANSIBLE_LOCALHOST_WARNING: 'yes' }, playbook: UNPARSED + LOCALHOST, inventory: UNPARSED },
  ])('$name', ({ name, cfg, env, playbook, inventory }) => {
    const dir = project(name, cfg);
    expect(stderrOf('/usr/bin/ansible-playbook', ['play.yml'], dir, env)).toBe(playbook);
    expect(stderrOf(fleet, ['apply', 'play.yml'], dir, env)).toBe(playbook);
    expect(stderrOf('/usr/bin/ansible-inventory', ['--list'], dir, env)).toBe(inventory);
    expect(stderrOf(fleet, ['inventory', '--list'], dir, env)).toBe(inventory);
  }, 90_000);
});
