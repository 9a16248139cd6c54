import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSandbox, knownHostsFile, sandboxHost, type SandboxHost } from '../support/sandbox.js';
import { ansibleApply, fleetApply, recap, sortedSections } from './support.js';

/**
 * The reboot action against ansible-playbook on sandbox host h53. A "reboot" there is a script
 * that writes a new boot id and kills the user's sshd sessions, so the connection drops as a
 * real reboot drops it; boot_time_command reads the boot id. Covered: reboot_command by path
 * and by a name found in search_paths (with arguments), test_command, a name in no search
 * path, a failing reboot command, a failing boot time command (under its FQCN, which its
 * message names), an invalid option, check mode and a local connection.
 */
const PLAYBOOK = `- hosts: h53
  gather_facts: false
  tasks:
    - reboot:
        reboot_command: "{{ home }}/fake-reboot"
        boot_time_command: "cat {{ home }}/boot_id"
      register: r1
    - reboot:
        reboot_command: "fake-reboot now please"
        search_paths: "{{ home }}"
        boot_time_command: "cat {{ home }}/boot_id"
        test_command: "test -f {{ home }}/boot_id"
        msg: unused
      register: r2
    - reboot: { reboot_command: nope, search_paths: [/nonexistent, /also] }
      ignore_errors: true
    - reboot: { reboot_command: "/bin/sh -c 'echo out; echo err >&2; exit 3'", boot_time_command: "cat {{ home }}/boot_id" }
      ignore_errors: true
    - ansible.builtin.reboot: { boot_time_command: "echo so; echo se >&2; exit 3" }
      ignore_errors: true
      register: r5
    - reboot: { bogus: 1 }
      ignore_errors: true
    - reboot:
      check_mode: true
      register: r7
    - reboot:
      connection: local
      ignore_errors: true
    - debug: { msg: "{{ [r1, r2, r5.reboot, r7] }}" }
    - command: cat "{{ home }}/boot_id"
      register: boot
    - debug: { msg: "{{ boot.stdout != 'first' }}" }
`;

/**
 * What ansible-playbook's ssh adds that fleet has no reason to: its low-level commands run on
 * a terminal, so their stderr arrives inside stdout with CRLF line ends and the stderr it
 * reports is ssh's "Shared connection … closed." Those two messages are compared apart; the
 * seconds a reboot took are the machine's.
 */
function comparable(output: string): string[][] {
  return sortedSections(
    output
      .replace(/"elapsed": \d+/g, '"elapsed": N')
      .replace(/"start": "[^"]*"/g, '"start": "…"')
      .replace(/Reboot command failed\. Error was: '[^']*'/g, "Reboot command failed. Error was: '…'")
      .replace(/(failed to get host boot time info, rc: 3, )[^"]*/g, '$1…'),
  );
}

let dir: string;
let host: SandboxHost;
let bootId: string;

function freshBoot(): void {
  writeFileSync(bootId, 'first\n');
  execFileSync('chown', [host.user, bootId]);
}

beforeAll(() => {
  ensureSandbox(65);
  host = sandboxHost('h53');
  dir = mkdtempSync(join(tmpdir(), 'fleet-reboot-'));
  bootId = join(host.home, 'boot_id');
  writeFileSync(join(host.home, 'fake-reboot'), '#!/bin/sh\ndate +%s%N > "$HOME/boot_id"\npkill -u "$(id -u)" -x sshd\nexit 0\n', { mode: 0o755 });
  writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
  writeFileSync(
    join(dir, 'inventory.yml'),
    `all:\n  hosts:\n    h53:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n  vars:\n    ansible_ssh_private_key_file: ${host.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reboot, against ansible-playbook', () => {
  it('reboots, waits for the new boot and the test command, and fails as Ansible does', async () => {
    const inventory = join(dir, 'inventory.yml');
    const playbook = join(dir, 'site.yml');
    const extraVars = [`home=${host.home}`];
    freshBoot();
    const expected = ansibleApply(inventory, playbook, { cwd: dir, args: extraVars.flatMap((each) => ['-e', each]) });
    expect(expected.output).toContain('"msg": true');
    freshBoot();
    const actual = await fleetApply({ inventory: [inventory], playbook, cwd: dir, extraVars });
    expect(comparable(actual.output)).toEqual(comparable(expected.output));
    expect(recap(actual.output)).toEqual(recap(expected.output));
    expect(actual.exitCode).toBe(expected.exitCode);
    expect(readFileSync(bootId, 'utf8')).not.toBe('first\n');
    // fleet's own text for the two messages set apart above: the commands' output as they wrote it.
    expect(actual.output).toContain(`"msg": "Reboot command failed. Error was: 'out, err'"`);
    expect(actual.output).toContain(String.raw`"msg": "ansible.builtin.reboot: failed to get host boot time info, rc: 3, stdout: so\n, stderr: se\n"`);
  }, 120_000);
});
