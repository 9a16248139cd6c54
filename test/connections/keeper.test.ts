/**
 * fleet's ControlPersist: the connection keeper keeps each host's SSH connection open after a
 * run, as Ansible's default ssh_args (`-o ControlMaster=auto -o ControlPersist=60s`) keep
 * OpenSSH's, so the next run logs in no more. Counted from the hosts' side: each login is an
 * "Accepted publickey" line in the sandbox sshd's log. Each test runs the real CLI with a HOME
 * of its own, so it has a keeper of its own. Sandbox hosts h76 and h77, which no other test uses.
 */
import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fleetProgram } from '../support/fleet_cli.js';
import { ensureSandbox, knownHostsFile, sandboxDir, type SandboxHost } from '../support/sandbox.js';
import { establishedSockets } from '../support/sockets.js';

const HOSTS = ['h76', 'h77'];

let hosts: SandboxHost[];
const homes: string[] = [];

beforeAll(() => {
  hosts = ensureSandbox(77).filter((host) => HOSTS.includes(host.name));
});

afterEach(() => {
  for (const home of homes.splice(0)) {
    spawnSync('pkill', ['-f', `connection-keeper ${keeperSocket(home)}`]);
    rmSync(home, { recursive: true, force: true });
  }
});

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'fleet-keeper-'));
  homes.push(home);
  return home;
}

const keeperSocket = (home: string): string => join(home, '.fleet', 'cp', 'keeper-1.sock');

function inventory(home: string, extraHost = ''): string {
  const entries = hosts.map((host) => `${host.name} ansible_host=${host.address} ansible_port=${host.port} ansible_user=${host.user}`).join('\n');
  const file = join(home, 'hosts.ini');
  writeFileSync(
    file,
    `${entries}\n${extraHost}\n[all:vars]\nansible_ssh_private_key_file=${hosts[0]!.keyFile}\nansible_ssh_common_args='-o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes'\n`,
  );
  return file;
}

function playbook(home: string, tasks: string): string {
  const file = join(home, 'play.yml');
  writeFileSync(file, `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
  return file;
}

const WHO = '    - command: id -un\n      changed_when: false\n';

function fleet(home: string, play: string, env: NodeJS.ProcessEnv = {}, extraHost = ''): SpawnSyncReturns<string> {
  const [node, args] = fleetProgram(['apply', '-i', inventory(home, extraHost), play]);
  return spawnSync(node, args, { cwd: home, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1', ...env } });
}

/** Logins each host's sshd has accepted so far. */
function logins(): number[] {
  return hosts.map((host) => {
    const log = readFileSync(join(sandboxDir(), 'hosts', host.name, 'sshd.log'), 'utf8');
    return log.split('\n').filter((line) => line.includes(`Accepted publickey for ${host.user} `)).length;
  });
}

const since = (before: number[]): number[] => logins().map((count, i) => count - (before[i] ?? 0));

function keeperPids(home: string): number[] {
  const found = spawnSync('pgrep', ['-f', `connection-keeper ${keeperSocket(home)}`], { encoding: 'utf8' });
  return found.stdout.split('\n').filter(Boolean).map(Number);
}

/** The sandbox hosts' connections held by a process named node (the keeper). */
function keptConnections(): number {
  const peers = new Set(hosts.map((host) => `${host.address}:${host.port}`));
  return establishedSockets().filter((socket) => peers.has(socket.peer) && socket.commands.includes('node')).length;
}

/** The CLI run while this process serves `onSocket` on the keeper socket of `home`: a stand-in keeper. */
async function fleetBesideStandIn(home: string, play: string, onSocket: (socket: Socket) => void, env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  mkdirSync(join(home, '.fleet', 'cp'), { recursive: true, mode: 0o700 });
  const standIn = createServer(onSocket);
  await new Promise<void>((resolve) => standIn.listen(keeperSocket(home), resolve));
  try {
    return await fleetRunning(home, play, env);
  } finally {
    standIn.close();
  }
}

/** The CLI run without blocking this process's event loop. */
async function fleetRunning(home: string, play: string, env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  const [node, args] = fleetProgram(['apply', '-i', inventory(home), play]);
  const run = spawn(node, args, { cwd: home, env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [status] = (await once(run, 'close')) as [number];
  return { status, stdout, stderr };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < timeoutMs; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (condition()) return true;
  }
  return condition();
}

describe('the connection keeper (ControlPersist)', () => {
  it('lets the next run reuse each host connection: one login per host for two runs', () => {
    const home = newHome();
    const play = playbook(home, WHO);
    const before = logins();
    const first = fleet(home, play);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(keeperPids(home)).toHaveLength(1);
    expect(keptConnections()).toBeGreaterThanOrEqual(2);
    const second = fleet(home, play);
    expect(second.status, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain('h76                        : ok=1    changed=0');
    expect(since(before)).toEqual([1, 1]);
    // Only its user may reach the socket: whoever can, runs commands on every kept host.
    expect(statSync(join(home, '.fleet', 'cp')).mode & 0o777).toBe(0o700);
  });

  it('logs in on every run when ssh_args ask for no persistence, and starts no keeper', () => {
    for (const sshArgs of ['-C -o ControlMaster=auto -o ControlPersist=no', '-C', '-o ControlMaster=no -o ControlPersist=60s']) {
      const home = newHome();
      const play = playbook(home, WHO);
      const before = logins();
      for (let run = 0; run < 2; run += 1) expect(fleet(home, play, { ANSIBLE_SSH_ARGS: sshArgs }).status).toBe(0);
      expect(since(before), sshArgs).toEqual([2, 2]);
      expect(existsSync(keeperSocket(home))).toBe(false);
    }
  });

  it('logs in anew after meta: reset_connection, as ssh -O stop makes Ansible do', () => {
    const home = newHome();
    const play = playbook(home, `${WHO}    - meta: reset_connection\n${WHO}`);
    const before = logins();
    const run = fleet(home, play);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(since(before)).toEqual([2, 2]);
  });

  it('ends an earlier run\'s kept connection on reset_connection before this run has used it', () => {
    const home = newHome();
    expect(fleet(home, playbook(home, WHO)).status).toBe(0);
    const before = logins();
    const run = fleet(home, playbook(home, `    - meta: reset_connection\n${WHO}`));
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(since(before)).toEqual([1, 1]);
  });

  it('replaces a keeper that was killed, and the run goes on as if nothing happened', () => {
    const home = newHome();
    const play = playbook(home, WHO);
    expect(fleet(home, play).status).toBe(0);
    const [killed] = keeperPids(home);
    execFileSync('kill', ['-KILL', String(killed)]);
    const before = logins();
    const run = fleet(home, play);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(since(before)).toEqual([1, 1]);
    expect(keeperPids(home)).not.toContain(killed);
    expect(keeperPids(home)).toHaveLength(1);
  });

  it('logs in itself when whatever answers on the keeper socket hangs up without answering', async () => {
    const home = newHome();
    const play = playbook(home, WHO);
    const before = logins();
    const run = await fleetBesideStandIn(home, play, (socket) => socket.destroy());
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(since(before)).toEqual([1, 1]);
  });

  it('logs in itself, warning once, when whatever listens on the keeper socket never answers', async () => {
    const home = newHome();
    const play = playbook(home, WHO);
    const before = logins();
    const started = Date.now();
    // Accepts, reads and says nothing: a keeper stopped or stuck in a loop. Each host's login may
    // take ANSIBLE_TIMEOUT; the keeper is given that and 5 s more.
    const { status, stdout, stderr } = await fleetBesideStandIn(home, play, (socket) => socket.resume(), { ANSIBLE_TIMEOUT: '1' });
    expect(status, stdout + stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(6_000);
    expect(since(before)).toEqual([1, 1]);
    expect(stderr.match(/\[WARNING\]: the connection keeper/g)).toHaveLength(1);
    // Wrapped at 79 columns, as textwrap wraps (also after a hyphen): compared without the whitespace.
    const bare = (text: string) => text.replace(/\s+/g, '');
    expect(bare(stderr)).toContain(bare(`the connection keeper (${keeperSocket(home)}) did not answer within 6 s; this run logs in to its hosts itself`));
  }, 30_000);

  it('closes a kept connection once ControlPersist has passed with no run using it, then ends itself', async () => {
    const home = newHome();
    const play = playbook(home, WHO);
    const held = keptConnections();
    expect(fleet(home, play, { ANSIBLE_SSH_ARGS: '-o ControlMaster=auto -o ControlPersist=1s' }).status).toBe(0);
    expect(keeperPids(home)).toHaveLength(1);
    expect(await until(() => keptConnections() <= held, 6_000)).toBe(true);
    // 10 s after it keeps nothing, the run's own check that it answered included.
    expect(await until(() => keeperPids(home).length === 0, 15_000)).toBe(true);
    expect(existsSync(keeperSocket(home))).toBe(false);
  }, 30_000);

  it('reports an unreachable host in the same words with the keeper as without it', () => {
    const home = newHome();
    const play = playbook(home, WHO);
    const dead = 'dead ansible_host=127.0.1.254 ansible_port=1';
    const kept = fleet(home, play, {}, dead);
    const direct = fleet(home, play, { ANSIBLE_SSH_ARGS: '-C' }, dead);
    expect(kept.status).toBe(4);
    expect(kept.stdout).toContain('fatal: [dead]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: ssh: connect to host 127.0.1.254 port 1: Connection refused"');
    // Results print as hosts answer: the same lines, in either order.
    const lines = (text: string) => text.split('\n').sort();
    expect(lines(kept.stdout)).toEqual(lines(direct.stdout));
  });
});
