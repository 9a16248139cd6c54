/**
 * A connection timeout of 0 (`-T 0`, ANSIBLE_TIMEOUT=0, `timeout = 0` in ansible.cfg): ansible-
 * playbook 2.14 passes it to OpenSSH as ConnectTimeout=0, which means no timeout of its own, and
 * reaches the host; `fleet apply` must run too (ssh2's readyTimeout 0 is no timeout either;
 * connection_vars.test.ts checks that 0 reaches it). Both run a no-change command on sandbox
 * host h57.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible } from '../apply/support.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { ensureSandbox, knownHostsFile, sandboxHost } from '../support/sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-timeout-zero-'));
let fleet: string;

beforeAll(() => {
  fleet = join(fleetBinDir(), 'fleet');
  ensureSandbox();
  const host = sandboxHost('h57');
  const sshArgs = `-o UserKnownHostsFile=${knownHostsFile()}`;
  writeFileSync(join(dir, 'hosts.ini'), `h57 ansible_host=${host.address} ansible_port=${host.port} ansible_user=${host.user} ansible_ssh_private_key_file=${host.keyFile} ansible_ssh_common_args='${sshArgs}'\n`);
  writeFileSync(join(dir, 'play.yml'), '- hosts: h57\n  gather_facts: false\n  tasks:\n    - command: "true"\n      changed_when: false\n');
  mkdirSync(join(dir, 'cfg'));
  writeFileSync(join(dir, 'cfg', 'ansible.cfg'), '[defaults]\ntimeout = 0\n');
});

function run(command: string, args: string[], env: Record<string, string>) {
  return spawnSync(command, [...args, '-i', join(dir, 'hosts.ini'), join(dir, 'play.yml')], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, ANSIBLE_NOCOLOR: '1', ...env }, encoding: 'utf8' });
}

describe.skipIf(!hasAnsible())('a connection timeout of 0', () => {
  it.each([
    { name: '-T 0', args: ['-T', '0'], env: {} },
    { name: 'ANSIBLE_TIMEOUT=0', args: [], env: { ANSIBLE_TIMEOUT: '0' } },
    { name: 'timeout = 0 in ansible.cfg', args: [], env: { ANSIBLE_CONFIG: join(dir, 'cfg', 'ansible.cfg') } },
  ])('$name: both reach the host', ({ args, env }) => {
    const theirs = run('/usr/bin/ansible-playbook', args, env);
    expect(theirs.status, theirs.stdout + theirs.stderr).toBe(0);
    expect(theirs.stdout).toContain('ok: [h57]');
    const ours = run(fleet, ['apply', ...args], env);
    expect(ours.status, ours.stdout + ours.stderr).toBe(0);
    expect(ours.stdout).toBe(theirs.stdout);
  }, 60_000);
});
