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

  it('keeps the connection after the run as ssh_args ask OpenSSH to (ControlMaster, ControlPersist; Ansible’s default 60s)', () => {
    const persist = (sshArgs?: string, vars: Record<string, PyValue> = {}) => {
      const result = plan(vars, sshArgs === undefined ? {} : { sshArgs });
      if (result.kind !== 'ssh') throw new Error('expected ssh');
      return result.persistSeconds;
    };
    expect(persist()).toBe(60);
    expect(persist('-C -o ControlMaster=auto -o ControlPersist=1h30m')).toBe(5400);
    expect(persist('-o ControlMaster=yes -o ControlPersist=90')).toBe(90);
    expect(persist('-o ControlMaster=auto -o ControlPersist=yes')).toBe(0);
    expect(persist('-o ControlMaster=auto -o ControlPersist=no')).toBeUndefined();
    expect(persist('-o ControlMaster=no -o ControlPersist=60s')).toBeUndefined();
    // ssh_args replace the default: without ControlPersist, OpenSSH keeps nothing after the command.
    expect(persist('-C -o ControlMaster=auto')).toBeUndefined();
    expect(persist('-C')).toBeUndefined();
    expect(persist('-o ControlMaster=auto -o ControlPersist=soon')).toBeUndefined();
    // The first value given wins: ssh_args come before the host's common args.
    expect(persist(undefined, { ansible_ssh_common_args: '-o ControlPersist=no' })).toBe(60);
    expect(persist('-C', { ansible_ssh_common_args: '-o ControlMaster=auto -o ControlPersist=5m' })).toBe(300);
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

  it('--ssh-common-args / --ssh-extra-args stand in for the host variables, which beat them (ansible-playbook -vvv: the var’s options, not the flag’s)', () => {
    const flags = { sshCommonArgs: '-o UserKnownHostsFile=/tmp/from-flag', sshExtraArgs: '-o StrictHostKeyChecking=no' };
    const fromFlags = plan({}, flags);
    if (fromFlags.kind !== 'ssh') throw new Error('expected ssh');
    expect(fromFlags.target).toMatchObject({ knownHostsFile: '/tmp/from-flag', hostKeyChecking: 'off' });
    const fromVars = plan({ ansible_ssh_common_args: '-o UserKnownHostsFile=/tmp/from-var', ansible_ssh_extra_args: '-o ServerAliveInterval=7' }, flags);
    if (fromVars.kind !== 'ssh') throw new Error('expected ssh');
    // Each variable replaces its own flag only: the extra args flag is gone too once the host sets ansible_ssh_extra_args.
    expect(fromVars.target).toMatchObject({ knownHostsFile: '/tmp/from-var', hostKeyChecking: 'strict', serverAlive: { intervalMs: 7000 } });
    // ssh_args (ANSIBLE_SSH_ARGS) comes first whatever gives the rest, and OpenSSH keeps the first value.
    const withSshArgs = plan({}, { ...flags, sshArgs: '-o UserKnownHostsFile=/tmp/ssh-args' });
    if (withSshArgs.kind !== 'ssh') throw new Error('expected ssh');
    expect(withSshArgs.target.knownHostsFile).toBe('/tmp/ssh-args');
  });

  it('-k’s password (or --connection-password-file’s) is the host’s unless it sets ansible_password', () => {
    const fromFlag = plan({}, { password: 'from-flag' });
    const fromVar = plan({ ansible_password: 'from-var' }, { password: 'from-flag' });
    if (fromFlag.kind !== 'ssh' || fromVar.kind !== 'ssh') throw new Error('expected ssh');
    expect(fromFlag.target.password).toBe('from-flag');
    expect(fromVar.target.password).toBe('from-var');
  });

  it('routes through a ProxyJump given with -J', () => {
    const result = plan({ ansible_ssh_common_args: '-J jump@127.0.1.5:2200' });
    if (result.kind !== 'ssh') throw new Error('expected ssh');
    expect(result.target.proxyJump).toMatchObject({ address: '127.0.1.5', port: 2200, user: 'jump' });
  });

  // The ssh plugin's option lists (2.14's ssh.py): the last variable defined wins.
  it('takes the password and host key checking from the last of their variables that is set', () => {
    const all = plan({ ansible_password: 'a', ansible_ssh_pass: 'b', ansible_ssh_password: 'c', ansible_host_key_checking: true, ansible_ssh_host_key_checking: false });
    const two = plan({ ansible_password: 'a', ansible_ssh_pass: 'b', ansible_ssh_host_key_checking: null, ansible_host_key_checking: false });
    if (all.kind !== 'ssh' || two.kind !== 'ssh') throw new Error('expected ssh');
    expect([all.target.password, all.target.hostKeyChecking]).toEqual(['c', 'off']);
    expect([two.target.password, two.target.hostKeyChecking]).toEqual(['b', 'off']);
  });
});
