import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import { loadConfig } from '../../src/config/ansible_cfg.js';

function project(cfg: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-cfg-'));
  writeFileSync(join(dir, 'ansible.cfg'), cfg);
  return dir;
}

const CFG = `# comment
[defaults]
inventory = hosts.ini
roles_path = roles:shared/roles
forks: 7
remote_user = deploy
host_key_checking = False
stdout_callback = yaml
interpreter_python = auto_silent

[privilege_escalation]
become = true
become_user = agent

[ssh_connection]
pipelining = True
`;

const noFlags = { inventory: [], tags: [], skipTags: [], extraVars: [], verbose: 0 };

describe('ansible.cfg', () => {
  it('is found in the current directory and read with configparser rules', () => {
    const dir = project(CFG);
    const config = loadConfig(dir, {});
    expect(config.file).toBe(join(dir, 'ansible.cfg'));
    expect(config.get('forks')).toBe('7');
    expect(config.paths('inventory')).toEqual([join(dir, 'hosts.ini')]);
    expect(config.paths('rolesPath')).toEqual([join(dir, 'roles'), join(dir, 'shared/roles')]);
    expect(config.warnings).toEqual([`fleet does not support these settings and ignores them: [defaults]stdout_callback in ${join(dir, 'ansible.cfg')}`]);
  });

  it('ANSIBLE_CONFIG points elsewhere and environment variables win over the file', () => {
    const dir = project(CFG);
    const elsewhere = mkdtempSync(join(tmpdir(), 'fleet-cwd-'));
    const config = loadConfig(elsewhere, { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_FORKS: '3' });
    expect(config.get('forks')).toBe('3');
    expect(config.get('remoteUser')).toBe('deploy');
  });

  it('feeds run options, flags first, and warns once about unsupported settings', () => {
    const dir = project(CFG);
    const warnings: string[] = [];
    const options = applyOptionsFrom([], { ...noFlags, forks: '2' }, {}, dir, (m) => warnings.push(m));
    expect(options.forks).toBe(2);
    expect(options.inventory).toEqual([join(dir, 'hosts.ini')]);
    expect(options.become).toEqual({ enabled: true, user: 'agent', method: 'sudo', flags: '' });
    expect(options.connection.hostKeyChecking).toBe(false);
    expect(options.connection.remoteUser).toBe('deploy');
    expect(warnings).toEqual([`fleet does not support these settings and ignores them: [defaults]stdout_callback in ${join(dir, 'ansible.cfg')}`]);
  });

  it("takes ansible-playbook's connection and become flags over the config file", () => {
    const dir = project(CFG);
    const flags = { ...noFlags, user: 'ops', privateKey: '/keys/ops', connection: 'local', timeout: '3', becomeUser: 'svc', becomeMethod: 'su' };
    const options = applyOptionsFrom([], flags, {}, dir);
    expect(options.connection).toMatchObject({ remoteUser: 'ops', privateKeyFile: '/keys/ops', connection: 'local', timeoutSeconds: 3 });
    expect(options.become).toEqual({ enabled: true, user: 'svc', method: 'su', flags: '' });
    const plain = mkdtempSync(join(tmpdir(), 'fleet-nocfg-'));
    expect(applyOptionsFrom([], { ...noFlags, become: true }, { HOME: plain }, plain).become.enabled).toBe(true);
    expect(() => applyOptionsFrom([], { ...noFlags, connection: 'winrm' }, {}, dir)).toThrow('--connection winrm: fleet connects with ssh, local, smart, paramiko (smart and paramiko mean ssh)');
    // -T 0 is OpenSSH's ConnectTimeout=0 (no timeout) under ansible-playbook; a negative one is refused.
    expect(applyOptionsFrom([], { ...noFlags, timeout: '0' }, {}, dir).connection.timeoutSeconds).toBe(0);
    expect(() => applyOptionsFrom([], { ...noFlags, timeout: '-1' }, {}, dir)).toThrow('must be a whole number of seconds (0 for none), got -1');
  });

  it('uses defaults without a config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-nocfg-'));
    const options = applyOptionsFrom([], noFlags, { HOME: dir }, dir);
    expect(options.forks).toBe(16);
    expect(options.tags).toEqual(['all']);
    expect(options.connection.hostKeyChecking).toBe(true);
  });
});
