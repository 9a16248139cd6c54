import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';
import { localProject, type LocalProject } from './local_project.js';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - wait_for_connection: timeout={{ wait }}
      register: waited
    - command: echo after
`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops the host's sshd listener (no session of it is open: the plays below start by waiting). */
function stopSshd(host: SandboxHost): void {
  const pid = Number(readFileSync(host.pidFile, 'utf8').trim());
  process.kill(pid, 'SIGTERM');
  rmSync(host.pidFile, { force: true });
}

/** Starts the host's sshd again as scripts/sandbox-hosts.sh does, and waits until it listens. */
async function startSshd(host: SandboxHost): Promise<void> {
  if (existsSync(host.pidFile)) return;
  const dir = dirname(host.pidFile);
  execFileSync('/usr/sbin/sshd', ['-f', join(dir, 'sshd_config'), '-E', join(dir, 'sshd.log')]);
  for (let tries = 0; tries < 50 && !existsSync(host.pidFile); tries++) await sleep(100);
}

describe('wait_for_connection on an sshd host', () => {
  let host: SandboxHost;
  let project: LocalProject | undefined;
  beforeAll(() => {
    host = ensureSandbox(47)[46] as SandboxHost;
    project = localProject({ 'wait.yml': PLAYBOOK });
    writeFileSync(
      join(project.dir, 'inventory'),
      `${host.name} ansible_host=${host.address} ansible_port=${host.port} ansible_user=${host.user} ansible_ssh_private_key_file=${host.keyFile} ansible_ssh_common_args='-o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes'\n` +
        'testhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
    );
  });
  afterAll(async () => {
    await startSshd(host);
    project?.remove();
  });

  it('waits for a host whose sshd starts a few seconds into the task, where it is not UNREACHABLE', async () => {
    stopSshd(host);
    const running = project?.runAsync('fleet', ['-v', '-l', host.name, '-e', 'wait=30', 'wait.yml']);
    await sleep(3000);
    await startSshd(host);
    const fleet = await running;
    expect(fleet?.status, `${fleet?.stdout}${fleet?.stderr}`).toBe(0);
    const elapsed = Number(/ok: \[h47\] => \{"changed": false, "elapsed": (\d+)\}/.exec(fleet?.stdout ?? '')?.[1] ?? fleet?.stdout);
    expect(elapsed).toBeGreaterThanOrEqual(2);
    expect(elapsed).toBeLessThan(10);
    expect(fleet?.stdout).toMatch(/h47 +: ok=2 +changed=1 +unreachable=0 +failed=0/);
  });

  it('fails with Ansible\'s message after timeout when the host never comes back, and the play goes on for the others', async () => {
    stopSshd(host);
    const both = await project?.bothAtOnce(['-e', 'wait=2', 'wait.yml'], 2);
    await startSshd(host);
    const normalised = (text: string) => text.slice(text.indexOf('PLAY [')).replace(/"elapsed": \d+/g, '"elapsed": SECONDS');
    expect(normalised(both?.fleet.stdout ?? '')).toBe(normalised(both?.ansible.stdout ?? ''));
    expect(both?.fleet.stdout).toMatch(/fatal: \[h47\]: FAILED! => \{"changed": false, "elapsed": \d+, "msg": "timed out waiting for ping module test: Failed to connect to the host via ssh: ssh: connect to host 127\.0\.1\.47 port \d+: Connection refused"\}/);
    expect(Number(/"elapsed": (\d+), "msg"/.exec(both?.fleet.stdout ?? '')?.[1])).toBeGreaterThanOrEqual(2);
    expect(both?.fleet.stdout).toMatch(/h47 +: ok=0 +changed=0 +unreachable=0 +failed=1/);
    expect(both?.fleet.stdout).toMatch(/testhost +: ok=2 +changed=1 +unreachable=0 +failed=0/);
  });
});
