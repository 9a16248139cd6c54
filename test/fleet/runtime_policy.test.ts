import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fleetApply } from '../apply/support.js';
import { ensureSandbox, knownHostsFile, repoRoot, sandboxHost, type SandboxHost } from '../support/sandbox.js';

/**
 * The banned-provider policy over what changes the inventory while a run goes on, which the
 * pre-flight check cannot see: add_host's vars templated from a registered result, and an
 * inventory a task writes before meta: refresh_inventory. The playbooks build the banned
 * value from pieces (`'anthro' ~ 'pic'`), so no file holds it before the run. h61 runs the
 * tasks; h62 is the host the change brings in, whose play would leave a marker file: the run
 * must stop before it, naming where the value came from. The same playbooks with a clean
 * value reach h62, so the marker shows contact.
 */
const MARKER = 'runtime-policy-touched';

function hostEntry(name: string, host: SandboxHost, extra = ''): string {
  return `    ${name}:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n${extra}`;
}

const ADD_HOST = (value: string) => `- hosts: runner
  gather_facts: false
  tasks:
    - name: learn the provider
      command: echo "${value}"
      register: learned
    - name: add the new box
      add_host:
        name: newbox
        ansible_host: "{{ newbox_address }}"
        ansible_user: "{{ newbox_user }}"
        llm:
          provider: "{{ learned.stdout }}"
      ignore_errors: true
- hosts: newbox
  gather_facts: false
  tasks:
    - name: touch the new box
      command: touch ${MARKER}
`;

const REFRESH = (value: string) => `- hosts: runner
  gather_facts: false
  tasks:
    - name: write the grown inventory
      copy:
        src: grown.yml
        dest: "{{ playbook_dir }}/inventory.yml"
      delegate_to: localhost
      connection: local
    - name: name the new box's model
      lineinfile:
        path: "{{ playbook_dir }}/inventory.yml"
        line: "      llm_model: ${value}"
        insertafter: "^    newbox:"
      delegate_to: localhost
      connection: local
    - meta: refresh_inventory
- hosts: newbox
  gather_facts: false
  tasks:
    - name: touch the new box
      command: touch ${MARKER}
`;

let dir: string;
let runner: SandboxHost;
let newbox: SandboxHost;
let inventory: string;
let baseInventory: string;

function inventoryText(withNewbox: boolean): string {
  const hosts = hostEntry('runner', runner) + (withNewbox ? hostEntry('newbox', newbox) : '');
  return `all:\n  hosts:\n${hosts}  vars:\n    ansible_port: ${newbox.port}\n    newbox_address: ${newbox.address}\n    newbox_user: ${newbox.user}\n    ansible_ssh_private_key_file: ${runner.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n`;
}

async function apply(playbook: string, text: string) {
  const file = join(dir, playbook);
  writeFileSync(file, text);
  return fleetApply({ inventory: [inventory], playbook: file, cwd: dir });
}

const touched = () => existsSync(join(newbox.home, MARKER));

beforeAll(() => {
  ensureSandbox(65);
  runner = sandboxHost('h61');
  newbox = sandboxHost('h62');
  dir = mkdtempSync(join(tmpdir(), 'fleet-runtime-policy-'));
  copyFileSync(join(repoRoot, 'BANNED_PROVIDERS.yml'), join(dir, 'BANNED_PROVIDERS.yml'));
  inventory = join(dir, 'inventory.yml');
  baseInventory = inventoryText(false);
  writeFileSync(join(dir, 'grown.yml'), inventoryText(true));
});
beforeEach(() => {
  writeFileSync(inventory, baseInventory);
  rmSync(join(newbox.home, MARKER), { force: true });
});
afterAll(() => {
  rmSync(join(newbox.home, MARKER), { force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('the banned-provider policy over inventory changes at run time', () => {
  it('a clean add_host and a clean refreshed inventory reach the new host', async () => {
    expect((await apply('add.yml', ADD_HOST("{{ 'kimi-' ~ 'coding' }}"))).exitCode).toBe(0);
    expect(touched()).toBe(true);
    rmSync(join(newbox.home, MARKER));
    writeFileSync(inventory, baseInventory);
    expect((await apply('refresh.yml', REFRESH('kimi-k2'))).exitCode).toBe(0);
    expect(touched()).toBe(true);
  }, 120_000);

  it('add_host giving a banned value stops the run, ignore_errors or not, before the new host is contacted', async () => {
    await expect(apply('add.yml', ADD_HOST("{{ 'anthro' ~ 'pic' }}"))).rejects.toThrow(
      `refusing to go on: 1 fleet policy problem(s) in what add_host gives newbox, which no task runs with:\n  ${join(dir, 'add.yml')}:7:7: banned provider "anthropic" (BANNED_PROVIDERS.yml) in host var llm.provider that add_host gives newbox`,
    );
    expect(touched()).toBe(false);
  }, 120_000);

  it('refresh_inventory reading a banned value stops the run before any task uses the refreshed inventory', async () => {
    await expect(apply('refresh.yml', REFRESH("{{ 'clau' ~ 'de-opus-4' }}"))).rejects.toThrow(
      `refusing to go on: 1 fleet policy problem(s) in the inventory meta: refresh_inventory read, which no task runs with:\n  ${inventory}:8:18: banned model "claude-*" (BANNED_PROVIDERS.yml) in all.hosts.newbox.llm_model`,
    );
    expect(touched()).toBe(false);
  }, 120_000);
});
