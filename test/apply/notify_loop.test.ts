import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSandbox, knownHostsFile, sandboxHost } from '../support/sandbox.js';
import { ansibleApply, fleetApply, recap, sortedSections } from './support.js';

/**
 * `notify` is templated per execution (Task.post_validate in TaskExecutor._execute), so in a
 * loop every item names its own handler; the strategy notifies each item's names once the
 * task as a whole changed. Run under ansible-playbook and fleet on h61: same output, banner
 * by banner (which handlers ran, in which order), and the same recap.
 */
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: an item that did not change still notifies, since the task changed
      command: "echo {{ item }}"
      changed_when: item != 'b'
      notify: "restart {{ item }}"
      loop: [a, b]
    - name: no item changed, so nothing is notified
      command: "echo {{ item }}"
      changed_when: false
      notify: "restart {{ item }}"
      loop: [c]
    - name: an item its when skipped notifies nothing
      command: "echo {{ item }}"
      when: item != 'e'
      notify: "restart {{ item }}"
      loop: [d, e]
    - name: a list, templated per item
      command: "echo {{ item }}"
      notify: ["restart {{ item }}", "restart f"]
      loop: [g]
    - name: notify is templated before the task registers its result
      command: "echo a"
      register: said
      notify: "restart {{ said.stdout | default('h') }}"
  handlers:
${['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((name) => `    - name: restart ${name}\n      debug:\n        msg: "{{ inventory_hostname }} restarts ${name}"\n`).join('')}`;

let dir: string;
let inventory: string;
let playbook: string;

beforeAll(() => {
  ensureSandbox(65);
  const host = sandboxHost('h61');
  dir = mkdtempSync(join(tmpdir(), 'fleet-notify-loop-'));
  inventory = join(dir, 'inventory.yml');
  writeFileSync(
    inventory,
    `all:\n  hosts:\n    h61:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n  vars:\n    ansible_ssh_private_key_file: ${host.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`,
  );
  playbook = join(dir, 'site.yml');
  writeFileSync(playbook, PLAYBOOK);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('notify in a loop, against ansible-playbook', () => {
  it('notifies the handler each item names, per item, whenever the task changed', async () => {
    const expected = ansibleApply(inventory, playbook, { cwd: dir });
    const actual = await fleetApply({ inventory: [inventory], playbook, cwd: dir });
    expect(sortedSections(actual.output)).toEqual(sortedSections(expected.output));
    expect(recap(actual.output)).toEqual(recap(expected.output));
    expect(actual.exitCode).toBe(expected.exitCode);
    const handlers = [...actual.output.matchAll(/^RUNNING HANDLER \[(.+?)\]/gm)].map((match) => match[1]);
    expect(handlers).toEqual(['restart a', 'restart b', 'restart d', 'restart f', 'restart g', 'restart h']);
  }, 120_000);
});
