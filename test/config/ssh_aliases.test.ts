/**
 * Settings of Ansible's ssh connection plugin that fleet's SSH client honours are read from
 * every key and variable the plugin reads them from, the last one set winning: checked
 * against what `ansible-config dump -t connection` says the ssh plugin gets, and where from.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/ansible_cfg.js';

/** The ssh plugin's value and origin of an option as ansible-config dump prints them, e.g. `timeout(env: ANSIBLE_SSH_TIMEOUT) = 22`. */
function ansibleSees(dir: string, env: Record<string, string>, option: string): { value: string; origin: string } | undefined {
  const dump = execFileSync('ansible-config', ['dump', '--only-changed', '-t', 'connection'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, ...env }, encoding: 'utf8' });
  // Plugins' blocks are separated by blank lines, each headed by its name.
  const ssh = dump.split('\n\n').find((block) => block.trimStart().startsWith('ssh:\n')) ?? '';
  const line = new RegExp(`^${option}\\((.*)\\) = (.*)$`, 'm').exec(ssh);
  return line ? { origin: line[1] as string, value: line[2] as string } : undefined;
}

const CASES: { cfg: string; env: Record<string, string> }[] = [
  { cfg: '[defaults]\ntimeout = 11\nhost_key_checking = True\n[ssh_connection]\ntimeout = 12\nhost_key_checking = False\n', env: {} },
  { cfg: '[defaults]\ntimeout = 11\n[ssh_connection]\nhost_key_checking = False\n', env: { ANSIBLE_SSH_TIMEOUT: '22', ANSIBLE_HOST_KEY_CHECKING: 'True' } },
  { cfg: '[ssh_connection]\ntimeout = 12\n', env: { ANSIBLE_TIMEOUT: '21', ANSIBLE_SSH_TIMEOUT: '22', ANSIBLE_SSH_HOST_KEY_CHECKING: 'False', ANSIBLE_HOST_KEY_CHECKING: 'True' } },
  { cfg: '[defaults]\ntimeout = 11\n', env: { ANSIBLE_SSH_HOST_KEY_CHECKING: 'False' } },
];

describe("the ssh plugin's timeout and host_key_checking", () => {
  it.each(CASES)('come from where ansible-core takes them: %j', ({ cfg, env }) => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-ssh-aliases-'));
    writeFileSync(join(dir, 'ansible.cfg'), cfg);
    const config = loadConfig(dir, { ...env, HOME: dir });
    for (const [option, name] of [['timeout', 'timeout'], ['host_key_checking', 'hostKeyChecking']] as const) {
      const ansible = ansibleSees(dir, env, option);
      expect(ansible, option).toBeDefined();
      expect(config.origin(name), option).toBe(ansible?.origin);
      expect(String(config.get(name)).toLowerCase(), option).toBe(ansible?.value.toLowerCase());
    }
    // Neither alias is named in a warning any more.
    expect(config.warnings).toEqual([]);
  });
});
