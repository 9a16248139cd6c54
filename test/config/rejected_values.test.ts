/**
 * An integer setting whose value is not an integer stops `fleet apply` as it stops
 * ansible-playbook 2.14: the same ERROR line (the setting's Ansible name, where the value came
 * from, Python's complaint) and exit 5, before any host is contacted. Both run as programs
 * with `--list-hosts` on localhost.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';

let fleet: string;

beforeAll(() => {
  fleet = join(fleetBinDir(), 'fleet');
});

function run(command: string, args: string[], dir: string, env: Record<string, string>) {
  return spawnSync(command, [...args, '-i', 'localhost,', '-c', 'local', '--list-hosts', 'play.yml'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, ANSIBLE_NOCOLOR: '1', ...env }, encoding: 'utf8' });
}

const CASES: { cfg: string; env: Record<string, string> }[] = [
  { cfg: '[defaults]\nforks = abc\n', env: {} },
  { cfg: "[defaults]\nforks = ' 3'\n", env: {} },
  { cfg: '[defaults]\nforks = 3\n', env: { ANSIBLE_FORKS: 'many' } },
  { cfg: '[defaults]\nfact_caching_timeout = 1.5\n', env: {} },
];

describe('a setting that is not the integer Ansible wants', () => {
  it.each(CASES)('stops fleet apply as it stops ansible-playbook: %j', ({ cfg, env }) => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-rejected-'));
    writeFileSync(join(dir, 'ansible.cfg'), cfg);
    writeFileSync(join(dir, 'play.yml'), '- hosts: all\n  gather_facts: false\n  tasks: []\n');
    const ansible = run('/usr/bin/ansible-playbook', [], dir, env);
    const ours = run(fleet, ['apply'], dir, env);
    expect(ansible.status, ansible.stderr).toBe(5);
    expect(ansible.stderr).toMatch(/^ERROR: Invalid type for configuration option setting: /);
    expect(ours.status, ours.stderr).toBe(5);
    expect(ours.stderr).toBe(ansible.stderr);
  });
});
