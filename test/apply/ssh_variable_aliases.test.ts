/**
 * When a host sets both spellings of a connection variable, the ssh plugin takes the last one
 * its option lists (ConfigManager._loop_entries): `ansible_ssh_host` over `ansible_host`,
 * `ansible_ssh_user` over `ansible_user`, `ansible_ssh_port` over `ansible_port`. fleet took
 * the others, and connected to another address as another user. Sandbox host h73.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - command: whoami
      register: who
    - debug: var=who.stdout
`;

let project: LocalProject;
let host: SandboxHost;

describe.skipIf(!hasAnsible())('the ssh_ spellings of connection variables, as ansible-playbook ranks them', () => {
  beforeAll(() => {
    host = ensureSandbox(73).find((each) => each.name === 'h73') as SandboxHost;
    // The plain spellings name a closed port on another address and a user that does not exist.
    const inventory =
      `h73 ansible_host=127.0.0.99 ansible_ssh_host=${host.address} ansible_port=1 ansible_ssh_port=${host.port} ` +
      `ansible_user=nobody-here ansible_ssh_user=${host.user} ansible_ssh_private_key_file=${host.keyFile} ` +
      `ansible_ssh_common_args='-o UserKnownHostsFile=${knownHostsFile()}' ansible_python_interpreter=/usr/bin/python3\n`;
    project = localProject({ inventory, 'site.yml': PLAYBOOK });
  });
  afterAll(() => project.remove());

  it('connects where the ssh_ spellings say, under both tools', () => {
    const { ansible, fleet } = project.both(['site.yml']);
    expect(ansible.stdout).toContain(`"who.stdout": "${host.user}"`);
    expect(fleet.stdout.replace(/"(start|end|delta)": "[^"]*"/g, '')).toBe(ansible.stdout.replace(/"(start|end|delta)": "[^"]*"/g, ''));
  });
});
