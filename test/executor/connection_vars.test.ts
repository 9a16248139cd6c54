import { describe, expect, it } from 'vitest';
import { planConnection, type ConnectionDefaults } from '../../src/executor/connection_vars.js';
import type { PyValue } from '../../src/template/values.js';

const defaults: ConnectionDefaults = { hostKeyChecking: true, timeoutSeconds: 10, env: {} };

function plan(vars: Record<string, PyValue>, overrides: Partial<ConnectionDefaults> = {}) {
  return planConnection('web1', (name) => vars[name], { ...defaults, ...overrides });
}

describe('connection variables → connection plan', () => {
  it('uses the inventory name, port 22 and strict host keys by default', () => {
    const result = plan({ ansible_user: 'deploy' });
    expect(result.kind).toBe('ssh');
    if (result.kind !== 'ssh') return;
    expect(result.target).toMatchObject({ host: 'web1', address: 'web1', port: 22, user: 'deploy', hostKeyChecking: 'strict' });
  });

  it('honours ansible_connection: local', () => {
    expect(plan({ ansible_connection: 'local' })).toEqual({ kind: 'local', host: 'web1' });
  });

  it('reads -o options from ansible_ssh_common_args', () => {
    const result = plan({ ansible_host: '127.0.1.9', ansible_port: 2222, ansible_ssh_common_args: "-o UserKnownHostsFile=/tmp/kh -o 'StrictHostKeyChecking accept-new'" });
    if (result.kind !== 'ssh') throw new Error('expected ssh');
    expect(result.target).toMatchObject({ address: '127.0.1.9', port: 2222, knownHostsFile: '/tmp/kh', hostKeyChecking: 'accept-new' });
  });

  it('keeps the first value of an option, as OpenSSH does (ssh_args come first)', () => {
    const result = plan({ ansible_ssh_common_args: '-o StrictHostKeyChecking=accept-new' }, { sshArgs: '-o StrictHostKeyChecking=yes' });
    if (result.kind !== 'ssh') throw new Error('expected ssh');
    expect(result.target.hostKeyChecking).toBe('strict');
  });

  it('takes a timeout of 0 as no connect timeout (ssh2 readyTimeout 0), as OpenSSH takes ConnectTimeout=0', () => {
    const fromSetting = plan({}, { timeoutSeconds: 0 });
    const fromVariable = plan({ ansible_timeout: 0 });
    if (fromSetting.kind !== 'ssh' || fromVariable.kind !== 'ssh') throw new Error('expected ssh');
    expect(fromSetting.target.connectTimeoutMs).toBe(0);
    expect(fromVariable.target.connectTimeoutMs).toBe(0);
    const plain = plan({});
    if (plain.kind !== 'ssh') throw new Error('expected ssh');
    expect(plain.target.connectTimeoutMs).toBe(10_000);
  });

  it('turns host key checking off when Ansible is told to', () => {
    const result = plan({ ansible_host_key_checking: false });
    if (result.kind !== 'ssh') throw new Error('expected ssh');
    expect(result.target.hostKeyChecking).toBe('off');
  });

  it('routes through a ProxyJump given with -J', () => {
    const result = plan({ ansible_ssh_common_args: '-J jump@127.0.1.5:2200' });
    if (result.kind !== 'ssh') throw new Error('expected ssh');
    expect(result.target.proxyJump).toMatchObject({ address: '127.0.1.5', port: 2200, user: 'jump' });
  });
});
