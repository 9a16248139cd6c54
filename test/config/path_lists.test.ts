/**
 * How ansible-core 2.14 splits the settings that hold several paths (config/manager.py
 * ensure_type): the inventory (DEFAULT_HOST_LIST) is a `pathlist`, split on commas only, and
 * the roles path (DEFAULT_ROLES_PATH) a `pathspec`, split on `:` only; a `-i` value with a
 * comma is a host list. Each project here has a file and a role directory whose names hold the
 * other separator, which only the right split finds. `fleet apply` and `fleet inventory` are
 * compared with ansible-playbook and ansible-inventory, from ANSIBLE_* variables and from
 * ansible.cfg (with INVENTORY_EXPORT, the default of ansible-inventory's --export). Every host is on a local connection, and the roles only print.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible } from '../apply/support.js';
import { fleetBinDir } from '../support/fleet_cli.js';

const LOCAL = 'ansible_connection=local ansible_python_interpreter=/usr/bin/python3';
const INVENTORY = 'hosts_a, odd:name';
const ROLES_PATH = 'roles,x:roles2';

let root: string;
let fleet: string;

function project(name: string, cfg?: string): string {
  const dir = join(root, name);
  const files: Record<string, string> = {
    'play.yml': '- hosts: all\n  gather_facts: false\n  roles: [commarole, colonrole]\n',
    // A group variable, which ansible-inventory --list shows on the group under INVENTORY_EXPORT and on the host otherwise.
    hosts_a: `a ${LOCAL}\n[ungrouped:vars]\nfrom_group=1\n`,
    'odd:name': `b ${LOCAL}\n`,
    'roles,x/commarole/tasks/main.yml': '- debug: msg="from roles,x"\n',
    'roles2/colonrole/tasks/main.yml': '- debug: msg="from roles2"\n',
    ...(cfg !== undefined ? { 'ansible.cfg': cfg } : {}),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'fleet-path-lists-'));
  chmodSync(root, 0o755);
  fleet = join(fleetBinDir(), 'fleet');
});

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  // One fork: the two local hosts' results come in inventory order.
  const done = spawnSync(command, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: root, ANSIBLE_NOCOLOR: '1', ANSIBLE_FORKS: '1', ...env } });
  return { status: done.status, stdout: done.stdout, stderr: done.stderr };
}

/** The Ansible tool and the fleet command give the same output and exit code. */
function same(ansible: string, ours: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const theirs = run(ansible, args, cwd, env);
  expect(run(fleet, [ours, ...args], cwd, env)).toEqual(theirs);
  expect(theirs.status, theirs.stderr).toBe(0);
  return theirs;
}

describe.skipIf(!hasAnsible())('settings that hold several paths', () => {
  it.each([
    { name: 'environment', env: { ANSIBLE_INVENTORY: INVENTORY, ANSIBLE_ROLES_PATH: ROLES_PATH, ANSIBLE_INVENTORY_EXPORT: 'yes' } },
    { name: 'ansible.cfg', cfg: `[defaults]\ninventory = ${INVENTORY}\nroles_path = ${ROLES_PATH}\n\n[inventory]\nexport = True\n`, env: {} },
  ])('the inventory splits on commas and the roles path on colons; fleet inventory reads them and INVENTORY_EXPORT ($name)', ({ name, cfg, env }) => {
    const dir = project(name, cfg);
    const played = same('ansible-playbook', 'apply', ['play.yml'], dir, env);
    for (const expected of ['ok: [a] => {', 'ok: [b] => {', '"msg": "from roles,x"', '"msg": "from roles2"']) expect(played.stdout).toContain(expected);
    const listed = same('ansible-inventory', 'inventory', ['--list'], dir, env);
    expect(JSON.parse(listed.stdout).ungrouped).toEqual({ hosts: ['a', 'b'], vars: { from_group: 1 } });
  }, 30_000);

  it('-i with a comma is a host list, a trailing comma making one of a single name', () => {
    // ansible-playbook --list-hosts orders hosts from several sources differently from run to run; --graph sorts them.
    const listed = same('ansible-inventory', 'inventory', ['-i', 'h1,h2', '-i', 'h3,', '--graph'], project('host-lists'));
    expect(listed.stdout).toBe('@all:\n  |--@ungrouped:\n  |  |--h1\n  |  |--h2\n  |  |--h3\n');
  }, 30_000);
});
