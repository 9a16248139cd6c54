import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSandbox, knownHostsFile, sandboxHost, type SandboxHost } from '../support/sandbox.js';
import { ansibleApply, fleetApply, recap, sortedSections } from './support.js';

/**
 * A name whose address, port or user changes under meta: refresh_inventory is reached at its
 * new place by the next task, as ansible-playbook's next task connects there: the inventory
 * names `mover` at h61, a task moves it to h62, and `whoami` before and after tells which
 * host answered. Run under ansible-playbook and fleet: same output and recap.
 */
const PLAYBOOK = `- hosts: mover
  gather_facts: false
  tasks:
    - name: who before
      command: whoami
      register: before
    - name: move the name to the other address
      copy:
        src: moved.yml
        dest: "{{ playbook_dir }}/inventory.yml"
      delegate_to: localhost
      connection: local
    - meta: refresh_inventory
    - name: who after
      command: whoami
      register: after
    - debug:
        msg: "{{ before.stdout }} -> {{ after.stdout }}"
`;

/**
 * Connection variables a play changes without touching the inventory, each read by the next
 * task as Ansible's TaskExecutor reads them: set_fact moves `mover` to h62 (address and user);
 * task vars cannot pull it back (set_fact beats them) but their port is the inventory's to
 * beat, so that task finds nothing listening; the task after it is back at h62.
 */
const VARIABLES_PLAYBOOK = `- hosts: mover
  gather_facts: false
  tasks:
    - command: whoami
      register: before
    - set_fact:
        ansible_host: "{{ to_address }}"
        ansible_user: "{{ to_user }}"
    - command: whoami
      register: moved
    - command: whoami
      vars:
        ansible_host: "{{ from_address }}"
        ansible_port: 1
      ignore_unreachable: true
    - command: whoami
      register: back
    - debug:
        msg: "{{ before.stdout }} -> {{ moved.stdout }} -> {{ back.stdout }}"
`;

function inventoryAt(host: SandboxHost): string {
  return `all:\n  hosts:\n    mover:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n  vars:\n    ansible_ssh_private_key_file: ${host.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`;
}

let dir: string;
let from: SandboxHost;
let to: SandboxHost;

beforeAll(() => {
  ensureSandbox(65);
  from = sandboxHost('h61');
  to = sandboxHost('h62');
  dir = mkdtempSync(join(tmpdir(), 'fleet-refresh-moved-'));
  writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
  writeFileSync(join(dir, 'original.yml'), inventoryAt(from));
  writeFileSync(join(dir, 'moved.yml'), inventoryAt(to));
  writeFileSync(join(dir, 'variables.yml'), VARIABLES_PLAYBOOK);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('refresh_inventory moving a host to another address, against ansible-playbook', () => {
  it('connects the next task to the new address', async () => {
    const inventory = join(dir, 'inventory.yml');
    const playbook = join(dir, 'site.yml');
    copyFileSync(join(dir, 'original.yml'), inventory);
    const expected = ansibleApply(inventory, playbook, { cwd: dir });
    expect(expected.output).toContain(`"msg": "${from.user} -> ${to.user}"`);
    copyFileSync(join(dir, 'original.yml'), inventory);
    const actual = await fleetApply({ inventory: [inventory], playbook, cwd: dir });
    expect(sortedSections(actual.output)).toEqual(sortedSections(expected.output));
    expect(recap(actual.output)).toEqual(recap(expected.output));
    expect(actual.exitCode).toBe(expected.exitCode);
    // The connection left behind was closed: the shell that held h61's host lock is gone.
    const owner = Number(readFileSync(join(from.home, '.fleet-lock', 'pid'), 'utf8'));
    await expect.poll(() => isAlive(owner), { timeout: 5000 }).toBe(false);
  }, 120_000);
});

describe('connection variables changed mid-play, against ansible-playbook', () => {
  it('connects each task where the variables it sees lead', async () => {
    const inventory = join(dir, 'original.yml');
    const playbook = join(dir, 'variables.yml');
    const extraVars = [`to_address=${to.address}`, `to_user=${to.user}`, `from_address=${from.address}`];
    const expected = ansibleApply(inventory, playbook, { cwd: dir, args: extraVars.flatMap((each) => ['-e', each]) });
    expect(expected.output).toContain(`"msg": "${from.user} -> ${to.user} -> ${to.user}"`);
    const actual = await fleetApply({ inventory: [inventory], playbook, cwd: dir, extraVars });
    expect(expected.output).toContain(`"msg": "Failed to connect to the host via ssh: ssh: connect to host ${to.address} port 1: Connection refused"`);
    expect(sortedSections(actual.output)).toEqual(sortedSections(expected.output));
    expect(recap(actual.output)).toEqual(recap(expected.output));
    expect(actual.exitCode).toBe(expected.exitCode);
  }, 120_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
