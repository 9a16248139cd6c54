import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureSandbox, inventoryFile, knownHostsFile, repoRoot, type SandboxHost } from '../support/sandbox.js';

const script = join(repoRoot, 'scripts', 'sandbox-hosts.sh');
let hosts: SandboxHost[];

beforeAll(() => {
  hosts = ensureSandbox(4);
});

describe('scripts/sandbox-hosts.sh', () => {
  it('and .ci/run pass shellcheck', () => {
    expect(execFileSync('shellcheck', ['-f', 'gcc', script, join(repoRoot, '.ci', 'run')], { encoding: 'utf8' })).toBe('');
  });

  it('up is idempotent: running hosts keep their sshd', () => {
    const before = execFileSync(script, ['status'], { encoding: 'utf8' });
    execFileSync(script, ['up', '4'], { stdio: 'ignore' });
    const after = execFileSync(script, ['status'], { encoding: 'utf8' });
    expect(after).toBe(before);
    expect(after).toMatch(/^h1 127\.0\.1\.1:2222 running \(pid \d+\)$/m);
  });

  it('writes an inventory ansible can use, with the host keys in known_hosts', () => {
    const inventory = parse(readFileSync(inventoryFile(), 'utf8')) as {
      all: { hosts: Record<string, Record<string, unknown>>; vars: Record<string, unknown> };
    };
    expect(Object.keys(inventory.all.hosts).slice(0, 4)).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect(inventory.all.vars.ansible_ssh_common_args).toBe(`-o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes`);
    const ping = execFileSync('ansible', ['-i', inventoryFile(), 'h1:h2', '-m', 'ping', '-o'], {
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_NOCOLOR: '1' },
    });
    expect(ping).toMatch(/^h1 \| SUCCESS => .*"ping": "pong"/m);
    expect(ping).toMatch(/^h2 \| SUCCESS => .*"ping": "pong"/m);
  });

  it('admits plain ssh with strict host key checking, as the host user in its home, with passwordless sudo', () => {
    const h3 = hosts[2]!;
    const output = execFileSync(
      'ssh',
      ['-i', h3.keyFile, '-p', String(h3.port), '-o', `UserKnownHostsFile=${knownHostsFile()}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', `${h3.user}@${h3.address}`, 'id -un; pwd; sudo -n id -u'],
      { encoding: 'utf8' },
    );
    expect(output).toBe(`${h3.user}\n${h3.home}\n0\n`);
  });
});
