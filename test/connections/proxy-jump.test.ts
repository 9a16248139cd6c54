import { beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, withProxyJump, type SshTarget } from '../../src/connections/index.js';
import { ConnectionError } from '../../src/errors.js';
import { ensureSandbox, sandboxHost, sandboxTarget } from '../support/sandbox.js';
import { establishedSockets } from '../support/sockets.js';

const base: SshTarget = {
  host: 'web',
  address: '10.0.0.5',
  port: 2200,
  user: 'deploy',
  privateKeyFile: '/keys/id',
  knownHostsFile: '/kh',
  hostKeyChecking: 'strict',
  connectTimeoutMs: 5000,
};

/** The hops of a target, first hop first, as host:port@user strings. */
function hops(target: SshTarget): string[] {
  const chain: string[] = [];
  for (let hop = target.proxyJump; hop; hop = hop.proxyJump) chain.unshift(`${hop.user}@${hop.address}:${hop.port}`);
  return chain;
}

describe('withProxyJump', () => {
  it('parses every OpenSSH hop form, first hop first', () => {
    const target = withProxyJump(base, 'bastion,ops@gw.example.com:2022,ssh://root@[fe80::1]:22,[::1]');
    expect(hops(target)).toEqual(['deploy@bastion:22', 'ops@gw.example.com:2022', 'root@fe80::1:22', 'deploy@::1:22']);
    expect(target.proxyJump?.knownHostsFile).toBe('/kh');
    expect(target.proxyJump?.privateKeyFile).toBe('/keys/id');
    expect(target.address).toBe('10.0.0.5');
  });

  it('treats none and empty as no jump, and rejects garbage', () => {
    expect(withProxyJump(base, 'none')).toBe(base);
    expect(withProxyJump(base, '')).toBe(base);
    expect(() => withProxyJump(base, 'a@b@c')).toThrow(ConnectionError);
    expect(() => withProxyJump(base, 'host:port')).toThrow(/cannot parse ProxyJump hop 'host:port'/);
  });
});

describe('ProxyJump against the sandbox', () => {
  beforeAll(() => {
    ensureSandbox();
  });

  it('reaches a host through two jump hosts; the target sees the last hop, not us', async () => {
    const h2 = sandboxHost('h2');
    const h3 = sandboxHost('h3');
    const target = withProxyJump(sandboxTarget('h4'), `${h2.user}@${h2.address}:${h2.port},${h3.user}@${h3.address}:${h3.port}`);
    const connection = await connectSsh(target);
    try {
      const result = await connection.exec('id -un; echo "$SSH_CLIENT"');
      const [user, client = ''] = result.stdout.trim().split('\n');
      expect(user).toBe('fleet-h4');
      const [clientAddress, clientPort] = client.split(' ');
      const h4 = sandboxHost('h4');
      const peer = establishedSockets().find((s) => s.local === `${clientAddress}:${clientPort}` && s.peer === `${h4.address}:${h4.port}`);
      expect(peer?.commands).toContain('sshd');
      expect(peer?.pids).not.toContain(process.pid);
    } finally {
      await connection.close();
    }
  });

  it('names the hop that cannot be reached', async () => {
    const target = withProxyJump(sandboxTarget('h4'), 'fleet-h3@127.0.1.3:2222');
    target.proxyJump!.host = 'jump';
    target.proxyJump!.port = 2299;
    await expect(connectSsh(target)).rejects.toThrow('Failed to connect to the host via ssh: ssh: connect to host 127.0.1.3 port 2299: Connection refused');
  });
});
