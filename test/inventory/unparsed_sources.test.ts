/**
 * Inventory sources no plugin parses, as ansible-playbook and ansible-inventory 2.14 treat them:
 * each plugin's failure and "Unable to parse … as an inventory source" are warnings, the run
 * goes on with the rest (and with what a plugin added before it failed), and only
 * INVENTORY_ANY_UNPARSED_IS_FAILED / INVENTORY_UNPARSED_IS_FAILED turn them into errors. fleet
 * prints the same warnings, in the same order, and runs against the same hosts (all on a local
 * connection: nothing leaves the machine).
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible } from '../apply/support.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { runIn, unwrapped, type ToolRun as Run } from './tool_run.js';

const LOCAL = 'ansible_connection=local ansible_python_interpreter=/usr/bin/python3';

let dir: string;
let fleet: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-unparsed-'));
  chmodSync(dir, 0o755);
  const files: Record<string, string> = {
    'play.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg={{ inventory_hostname }}\n',
    good: `good ${LOCAL}\n`,
    empty: '',
    // YAML the yaml plugin takes, with nothing it can use.
    'not-inventory.yml': 'foo: [1, 2]\n',
    // INI that fails on line 2 after adding `partial` (Ansible keeps it).
    'bad-vars': `partial ${LOCAL}\n[g:vars]\nx=1\n`,
    'bad.ini': '[web\n',
    'list.json': '[1, 2]\n',
    'bad-section.yml': 'all:\n  hosts:\n    h1:\n  children: [x]\n',
    vaulted: '$ANSIBLE_VAULT;1.1;AES256\n6231\n',
    // A directory where one file parses and one does not.
    'dir/a': `fromdir ${LOCAL}\n`,
    'dir/b.yml': '- 1\n- 2\n',
  };
  mkdirSync(join(dir, 'dir'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  fleet = join(fleetBinDir(), 'fleet');
});

// One fork: the local hosts' results come in inventory order, not in the order they finish.
const run = (command: string, args: string[], env: Record<string, string> = {}): Run => runIn(dir, command, args, { ANSIBLE_FORKS: '1', ...env });


/** ansible-playbook and fleet apply with the same sources: same exit code, warnings and play output. */
function samePlaybookRun(sources: string[], env: Record<string, string> = {}): Run {
  const args = [...sources.flatMap((source) => ['-i', source]), 'play.yml'];
  const ansible = run('ansible-playbook', args, env);
  const ours = run(fleet, ['apply', ...args], env);
  expect(ours.stderr).toBe(ansible.stderr);
  expect(ours.stdout).toBe(ansible.stdout);
  expect(ours.status).toBe(ansible.status);
  return ansible;
}

describe.skipIf(!hasAnsible())('inventory sources no plugin parses', () => {
  it('are warned about, plugin by plugin, and the run goes on with the others', () => {
    const sources = ['missing', 'good', 'empty', 'not-inventory.yml', 'bad-vars', 'bad.ini', 'list.json', 'bad-section.yml', 'vaulted', 'dir'];
    const ansible = samePlaybookRun(sources);
    expect(ansible.status).toBe(0);
    expect(unwrapped(ansible.stderr)).toContain(`[WARNING]: Unable to parse ${join(dir, 'missing')} as an inventory source [WARNING]:`);
    expect(unwrapped(ansible.stderr)).toContain(`[WARNING]: * Failed to parse ${join(dir, 'bad-vars')} with ini plugin: ${join(dir, 'bad-vars')}:2: Section [g:vars] not valid for undefined group: g [WARNING]:`);
    for (const host of ['good', 'partial', 'fromdir']) expect(ansible.stdout).toContain(`ok: [${host}]`);
  }, 30_000);

  it('leave only the implicit localhost when none is parsed, and ansible-inventory says the same', () => {
    const ansible = samePlaybookRun(['missing', 'bad.ini']);
    expect(ansible.stderr).toContain('[WARNING]: No inventory was parsed, only implicit localhost is available\n');
    expect(ansible.stdout).toContain('skipping: no hosts matched');
    const args = ['-i', 'missing', '-i', 'list.json', '-i', 'good', '--graph'];
    const inventory = run('ansible-inventory', args);
    const ours = run(fleet, ['inventory', ...args]);
    expect(ours).toEqual(inventory);
    expect(unwrapped(inventory.stderr)).toContain("with yaml plugin: YAML inventory has invalid structure, it should be a dictionary, got: <class 'list'>");
  }, 30_000);

  it('are errors under INVENTORY_ANY_UNPARSED_IS_FAILED and INVENTORY_UNPARSED_IS_FAILED', () => {
    const any = samePlaybookRun(['good', 'list.json', 'missing'], { ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED: 'yes' });
    expect(any.status).toBe(1);
    expect(any.stderr).toContain(`ERROR! Completely failed to parse inventory source ${join(dir, 'list.json')}\n`);
    const none = samePlaybookRun(['missing'], { ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true' });
    expect(unwrapped(none.stderr)).toBe(`[WARNING]: Unable to parse ${join(dir, 'missing')} as an inventory source ERROR! No inventory was parsed, please check your configuration and options. `);
  }, 30_000);
});
