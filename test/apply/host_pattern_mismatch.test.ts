/**
 * HOST_PATTERN_MISMATCH (ansible.cfg `[inventory] host_pattern_mismatch`,
 * ANSIBLE_HOST_PATTERN_MISMATCH): a play or --limit pattern that matches no host warns
 * (default), stops the run before any play (`error`) or passes in silence (`ignore`); any other
 * value is refused before the run. A --limit that leaves no host at all ends the run before
 * any play (CLI.get_host_list). ansible-playbook and fleet run the same project (local
 * connection, debug tasks only) and must print and exit the same.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: nowhere
  gather_facts: false
  tasks:
    - debug: msg=never
- hosts: all
  gather_facts: false
  tasks:
    - debug: msg=ran
`;

let project: string;
let fleetBin: string;

function run(tool: 'ansible' | 'fleet', env: Record<string, string>, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const [command, first] = tool === 'ansible' ? ['ansible-playbook', []] : [join(fleetBin, 'fleet'), ['apply']];
  const done = spawnSync(command, [...first, '-i', 'inventory.ini', ...args, 'site.yml'], { cwd: project, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ...env } });
  return { status: done.status, stdout: done.stdout, stderr: done.stderr };
}

describe.skipIf(!hasAnsible())('HOST_PATTERN_MISMATCH, as ansible-playbook honours it', () => {
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'fleet-pattern-mismatch-'));
    writeFileSync(join(project, 'inventory.ini'), 'a ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    writeFileSync(join(project, 'site.yml'), PLAYBOOK);
    writeFileSync(join(project, 'ansible.cfg'), '[inventory]\nhost_pattern_mismatch = ignore\n');
    fleetBin = fleetBinDir();
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it.each([
    ['warning', { ANSIBLE_HOST_PATTERN_MISMATCH: 'warning' }, []],
    ['error', { ANSIBLE_HOST_PATTERN_MISMATCH: 'error' }, []],
    ['error, from --limit', { ANSIBLE_HOST_PATTERN_MISMATCH: 'error' }, ['--limit', 'a:elsewhere']],
    ['ignore, from ansible.cfg', {}, []],
    ['a value that is not a choice', { ANSIBLE_HOST_PATTERN_MISMATCH: 'bogus' }, []],
    ['a --limit that leaves no host ends the run before any play', { ANSIBLE_HOST_PATTERN_MISMATCH: 'warning' }, ['--limit', 'elsewhere']],
  ] as const)('%s', (_name, env, args) => {
    const ansible = run('ansible', env, [...args]);
    const fleet = run('fleet', env, [...args]);
    expect(fleet.status).toBe(ansible.status);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stderr).toBe(ansible.stderr);
  }, 60_000);

  it('stops before any play with error, and is silent with ignore (what the comparison rests on)', () => {
    const error = run('ansible', { ANSIBLE_HOST_PATTERN_MISMATCH: 'error' });
    expect([error.status, error.stdout, error.stderr]).toEqual([1, '', 'ERROR! Could not match supplied host pattern, ignoring: nowhere\n']);
    const ignore = run('ansible', {});
    expect(ignore.status).toBe(0);
    expect(ignore.stderr).toBe('');
    expect(ignore.stdout).toContain('skipping: no hosts matched');
  }, 60_000);
});
