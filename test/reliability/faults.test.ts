/**
 * Faults during a converge of four loopback sshd hosts (h24–h27, named r1–r4 here): a host
 * killed mid-task, a host that never speaks SSH, a host that freezes, a hanging task, a
 * changed host key. The other hosts always converge; the faulty one is reported, in time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { knownHostsFile, type SandboxHost } from '../support/sandbox.js';
import { hostProcesses, restartHosts, signalHost, silentServer } from './host_faults.js';
import { recap, reliabilityHosts, runFleet, scratchDir, startFleet, writeInventory, type InventoryHost } from './support.js';

let hosts: SandboxHost[];
let project: string;
const named = (list: SandboxHost[]): InventoryHost[] => list.map((host, index) => ({ ...host, name: `r${index + 1}` }));
const faultDir = (host: SandboxHost) => join(host.home, 'faults');

beforeAll(() => {
  hosts = reliabilityHosts();
  project = scratchDir('faults');
});
beforeEach(() => {
  restartHosts(27);
  for (const host of hosts) rmSync(faultDir(host), { recursive: true, force: true });
});

function playbook(name: string, tasks: string): string {
  const file = join(project, name);
  writeFileSync(file, `- hosts: all\n  gather_facts: false\n  tasks:\n  - file: { path: ~/faults, state: directory }\n${tasks}`);
  return file;
}

/** Polls until `probe` returns true (or the run ends); returns whether it did. */
async function when(probe: () => boolean, running: Promise<unknown>, timeoutMs = 60_000): Promise<boolean> {
  let ended = false;
  void running.then(() => (ended = true));
  const deadline = Date.now() + timeoutMs;
  while (!ended && Date.now() < deadline) {
    if (probe()) return true;
    await sleep(20);
  }
  return false;
}

const runsCommand = (host: SandboxHost, command: string) => () =>
  hostProcesses(host).some((pid) => {
    try {
      return basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '') === command;
    } catch {
      return false;
    }
  });

function expectOthersConverged(output: string, names: string[], file: string): void {
  const counters = recap(output);
  for (const name of names) {
    expect(counters.get(name), output).toMatchObject({ failed: 0, unreachable: 0 });
    const host = hosts[Number(name.slice(1)) - 1] as SandboxHost;
    expect(existsSync(join(faultDir(host), file)), `${name} ${file}\n${output}`).toBe(true);
  }
}

describe('faults on four loopback hosts during a converge', () => {
  it('a host whose sshd and sessions are killed mid-task is UNREACHABLE, its files old or new, and the next run converges it', async () => {
    const inventory = writeInventory(project, named(hosts));
    const site = playbook('kill.yml', '  - copy: { content: "{{ payload }}", dest: ~/faults/managed.txt }\n  - command: sleep 3\n  - copy: { content: "after\\n", dest: ~/faults/after.txt }\n');
    const old = 'old\n';
    const fresh = `${'new content line\n'.repeat(100_000)}`;
    writeFileSync(join(project, 'old.yml'), `payload: ${JSON.stringify(old)}\n`);
    writeFileSync(join(project, 'new.yml'), `payload: ${JSON.stringify(fresh)}\n`);
    const first = await runFleet(['apply', '-i', inventory, site, '-e', '@old.yml'], { cwd: project });
    expect(first.code, first.stdout + first.stderr).toBe(0);

    const victim = hosts[3] as SandboxHost;
    const run = startFleet(['apply', '-i', inventory, site, '-e', '@new.yml'], { cwd: project });
    // Kill while the new content is being written (a temp file appears beside the target), or failing that while `sleep` runs.
    const writing = () => readdirSync(faultDir(victim)).some((name) => name !== 'managed.txt') || runsCommand(victim, 'sleep')();
    expect(await when(writing, run.done)).toBe(true);
    signalHost(victim, 'SIGKILL');
    const second = await run.done;
    const output = second.stdout + second.stderr;
    expect(second.code, output).toBe(4);
    expect(recap(output).get('r4'), output).toMatchObject({ unreachable: 1 });
    expectOthersConverged(output, ['r1', 'r2', 'r3'], 'after.txt');
    const left = readFileSync(join(faultDir(victim), 'managed.txt'), 'utf8');
    expect(left === old || left === fresh, `partial file of ${left.length} bytes`).toBe(true);

    restartHosts(27);
    const third = await runFleet(['apply', '-i', inventory, site, '-e', '@new.yml'], { cwd: project });
    expect(third.code, third.stdout + third.stderr).toBe(0);
    expect(readFileSync(join(faultDir(victim), 'managed.txt'), 'utf8')).toBe(fresh);
    expect(readFileSync(join(faultDir(victim), 'after.txt'), 'utf8')).toBe('after\n');
  }, 240_000);

  it('a host that accepts TCP but never speaks SSH is UNREACHABLE within the connection timeout', async () => {
    const silent = await silentServer((hosts[1] as SandboxHost).address);
    try {
      const mute: InventoryHost = { ...(hosts[3] as SandboxHost), name: 'r4', address: (hosts[1] as SandboxHost).address, port: silent.port };
      const inventory = writeInventory(project, [...named(hosts.slice(0, 3)), mute]);
      const site = playbook('mute.yml', '  - copy: { content: "converged\\n", dest: ~/faults/done.txt }\n');
      const run = await runFleet(['apply', '-i', inventory, site], { cwd: project, env: { ANSIBLE_TIMEOUT: '2' } });
      const output = run.stdout + run.stderr;
      console.log(`faults: silent TCP host unreachable after ${(run.elapsedMs / 1000).toFixed(1)} s (whole run, timeout 2 s)`);
      expect(run.code, output).toBe(4);
      expect(recap(output).get('r4'), output).toMatchObject({ unreachable: 1 });
      expect(output).toMatch(/"msg": "Failed to connect to the host via ssh: Connection timed out during banner exchange\\r\\nConnection to 127\.0\.1\.\d+ port \d+ timed out"/);
      expectOthersConverged(output, ['r1', 'r2', 'r3'], 'done.txt');
      expect(run.elapsedMs).toBeLessThan(30_000);
    } finally {
      await silent.close();
    }
  }, 120_000);

  it('a host that stops answering mid-run (sshd frozen) is UNREACHABLE after ServerAliveInterval × ServerAliveCountMax', async () => {
    const inventory = writeInventory(project, named(hosts), knownHostsFile(), '-o ServerAliveInterval=1 -o ServerAliveCountMax=2');
    const site = playbook('freeze.yml', '  - command: sleep 6\n  - copy: { content: "after\\n", dest: ~/faults/after.txt }\n');
    const victim = hosts[2] as SandboxHost;
    const run = startFleet(['apply', '-i', inventory, site], { cwd: project });
    expect(await when(runsCommand(victim, 'sleep'), run.done)).toBe(true);
    const frozen = signalHost(victim, 'SIGSTOP');
    const stoppedAt = Date.now();
    try {
      const result = await run.done;
      const output = result.stdout + result.stderr;
      const seconds = (Date.now() - stoppedAt) / 1000;
      console.log(`faults: frozen host unreachable ${seconds.toFixed(1)} s after SIGSTOP (ServerAliveInterval=1, CountMax=2)`);
      expect(result.code, output).toBe(4);
      expect(recap(output).get('r3'), output).toMatchObject({ unreachable: 1 });
      expectOthersConverged(output, ['r1', 'r2', 'r4'], 'after.txt');
      expect(seconds).toBeLessThan(30);
    } finally {
      for (const pid of frozen) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // gone
        }
      }
    }
  }, 120_000);

  it("a task that hangs is stopped by `timeout:`, reported failed, and its remote process is gone", async () => {
    const host = hosts[0] as SandboxHost;
    const inventory = writeInventory(project, named([host]));
    const site = playbook('hang.yml', '  - shell: "sleep 300 & echo $! > ~/faults/sleep.pid; wait"\n    timeout: 2\n');
    const run = await runFleet(['apply', '-i', inventory, site], { cwd: project });
    const output = run.stdout + run.stderr;
    expect(run.code, output).toBe(2);
    expect(recap(output).get('r1'), output).toMatchObject({ failed: 1 });
    expect(output).toContain('The shell action failed to execute in the expected time frame (2) and was terminated');
    const pid = Number(readFileSync(join(faultDir(host), 'sleep.pid'), 'utf8'));
    let alive = true;
    for (let tries = 0; alive && tries < 100; tries += 1) {
      try {
        process.kill(pid, 0);
        await sleep(50);
      } catch {
        alive = false;
      }
    }
    expect(alive, `remote sleep ${pid} still running`).toBe(false);
  }, 120_000);

  it('a host key that changed since the last run is refused, naming the host and both fingerprints', async () => {
    const host = hosts[0] as SandboxHost;
    const dir = join(project, 'rekeyed');
    mkdirSync(dir, { recursive: true });
    rmSync(join(dir, 'other_key'), { force: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'other_key')]);
    const fingerprint = (file: string) => (execFileSync('ssh-keygen', ['-lf', file], { encoding: 'utf8' }).split(' ')[1] as string);
    const stored = readFileSync(join(dir, 'other_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `[${host.address}]:${host.port} ${stored}\n`);
    const inventory = writeInventory(dir, named([host]), knownHosts);
    const site = playbook('rekey.yml', '  - copy: { content: "x\\n", dest: ~/faults/x.txt }\n');
    const run = await runFleet(['apply', '-i', inventory, site], { cwd: project });
    const output = run.stdout + run.stderr;
    expect(run.code, output).toBe(4);
    expect(recap(output).get('r1'), output).toMatchObject({ unreachable: 1 });
    expect(output).toContain('r1');
    expect(output).toContain(fingerprint(join(dir, 'other_key.pub')));
    expect(output).toContain(fingerprint(host.hostKeyPub));
    expect(existsSync(join(faultDir(host), 'x.txt'))).toBe(false);
  }, 60_000);

  it('a write to a full filesystem fails with a clear message and leaves the original file intact', async () => {
    const host = hosts[0] as SandboxHost;
    const mountPoint = join(host.home, 'fullfs');
    mkdirSync(mountPoint, { recursive: true });
    const owner = execFileSync('id', ['-u', host.user], { encoding: 'utf8' }).trim();
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=256k,mode=0755,uid=${owner},gid=${owner}`, 'tmpfs', mountPoint]);
    try {
      writeFileSync(join(mountPoint, 'config.txt'), 'original\n');
      // Fill what is left; dd stops at ENOSPC.
      execFileSync('sh', ['-c', `dd if=/dev/zero of=${JSON.stringify(join(mountPoint, 'filler'))} bs=4096 2>/dev/null || true`]);
      execFileSync('chown', ['-R', `${owner}:${owner}`, mountPoint]);
      const inventory = writeInventory(project, named([host]));
      const site = playbook('full.yml', `  - copy: { content: "{{ 'x' * 65536 }}", dest: ${JSON.stringify(join(mountPoint, 'config.txt'))} }\n`);
      const run = await runFleet(['apply', '-i', inventory, site], { cwd: project });
      const output = run.stdout + run.stderr;
      expect(run.code, output).toBe(2);
      expect(recap(output).get('r1'), output).toMatchObject({ failed: 1 });
      expect(output).toMatch(/No space left on device/);
      expect(readFileSync(join(mountPoint, 'config.txt'), 'utf8')).toBe('original\n');
      expect(readdirSync(mountPoint).sort(), 'temp files left behind').toEqual(['config.txt', 'filler']);
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  }, 60_000);

  it('SIGINT during a run stops the remote commands and leaves no temp files on the hosts', async () => {
    const inventory = writeInventory(project, named(hosts.slice(0, 2)));
    const site = playbook('interrupt.yml', '  - shell: "sleep 120 & echo $! > ~/faults/sleep.pid; wait"\n');
    const run = startFleet(['apply', '-i', inventory, site], { cwd: project });
    const started = () => hosts.slice(0, 2).every((host) => existsSync(join(faultDir(host), 'sleep.pid')) && runsCommand(host, 'sleep')());
    expect(await when(started, run.done)).toBe(true);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code === 130 || result.signal === 'SIGINT', `exit ${result.code} ${result.signal}\n${result.stdout}${result.stderr}`).toBe(true);
    for (const host of hosts.slice(0, 2)) {
      const pid = Number(readFileSync(join(faultDir(host), 'sleep.pid'), 'utf8'));
      let alive = true;
      for (let tries = 0; alive && tries < 100; tries += 1) {
        try {
          process.kill(pid, 0);
          await sleep(50);
        } catch {
          alive = false;
        }
      }
      expect(alive, `${host.name}: remote sleep ${pid} survived SIGINT`).toBe(false);
      // ~/.fleet-lock is the host lock, meant to stay (see src/executor/host_lock.ts).
      const leftovers = execFileSync('find', [host.home, '-name', '.fleet*', '!', '-name', '.fleet-lock', '!', '-path', '*/.fleet-lock/*'], { encoding: 'utf8' }).trim();
      expect(leftovers, `${host.name}: temp files left`).toBe('');
    }
  }, 120_000);

  it('two fleet runs at once on one host never interleave: the second waits for the host lock, or refuses clearly', async () => {
    const host = hosts[1] as SandboxHost;
    const inventory = writeInventory(project, named([host]));
    const site = playbook('overlap.yml', '  - shell: "echo start {{ run }} >> ~/faults/log; sleep {{ pause | default(3) }}"\n  - shell: "echo end {{ run }} >> ~/faults/log"\n');
    const first = startFleet(['apply', '-i', inventory, site, '-e', 'run=A'], { cwd: project });
    expect(await when(() => existsSync(join(faultDir(host), 'log')), first.done)).toBe(true);
    const second = startFleet(['apply', '-i', inventory, site, '-e', 'run=B'], { cwd: project });
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(b.code, b.stdout + b.stderr).toBe(0);
    expect(readFileSync(join(faultDir(host), 'log'), 'utf8')).toBe('start A\nend A\nstart B\nend B\n');

    // Told not to wait, a run finding the host busy is refused with the reason.
    // Long enough for the refused run to start, connect and find the lock taken.
    const holder = startFleet(['apply', '-i', inventory, site, '-e', 'run=C', '-e', 'pause=12'], { cwd: project });
    expect(await when(() => readFileSync(join(faultDir(host), 'log'), 'utf8').includes('start C'), holder.done)).toBe(true);
    const refused = await runFleet(['apply', '-i', inventory, site, '-e', 'run=D'], { cwd: project, env: { FLEET_HOST_LOCK_WAIT: '0' } });
    const output = refused.stdout + refused.stderr;
    expect(refused.code, output).toBe(4);
    expect(output).toMatch(/r1: another fleet run holds .*\.fleet-lock \(its remote shell is pid \d+\)/);
    expect((await holder.done).code).toBe(0);
    expect(readFileSync(join(faultDir(host), 'log'), 'utf8')).not.toContain('D');
  }, 180_000);
});

