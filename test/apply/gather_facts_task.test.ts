/**
 * `gather_facts` as a task (ansible.builtin.gather_facts, the action Play.compile's implicit
 * "Gathering Facts" is), compared with ansible-playbook 2.14 on a local connection: it runs
 * setup with the task's arguments but `parallel`, its result holds the facts with warnings and
 * deprecations and -v does not print it, and a setup failure (an argument setup rejects, a bad
 * subset) comes back under failed_modules. Ansible's own integration targets use it (omit's
 * setup_test_user role starts with one).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: testhost
  gather_facts: no
  tasks:
    - gather_facts:
      register: gathered
    - ansible.builtin.gather_facts:
        gather_subset: ['!all']
        parallel: true
      register: minimal
    - name: what each returned
      debug:
        msg: "{{ gathered.keys() | list }} {{ minimal.keys() | list }} {{ gathered.ansible_facts.ansible_user_id is string }} {{ minimal.ansible_facts.gather_subset }} {{ gathered.ansible_facts.module_setup }} {{ minimal.warnings }} {{ minimal.deprecations }}"
    - name: an argument setup does not take
      gather_facts:
        bogus: 1
      ignore_errors: true
    - name: a subset that does not exist
      gather_facts:
        gather_subset: nope
      ignore_errors: true
`;

let project: string;
let fleetBin: string;

function run(tool: 'ansible' | 'fleet'): { status: number | null; stdout: string } {
  const [command, first] = tool === 'ansible' ? ['ansible-playbook', []] : [join(fleetBin, 'fleet'), ['apply']];
  const done = spawnSync(command, [...first, '-i', 'inventory', '-v', 'site.yml'], { cwd: project, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
  return { status: done.status, stdout: done.stdout };
}

describe.skipIf(!hasAnsible())('gather_facts as a task, as in ansible-playbook', () => {
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'fleet-gather-facts-'));
    writeFileSync(join(project, 'inventory'), 'testhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    writeFileSync(join(project, 'site.yml'), PLAYBOOK);
    fleetBin = fleetBinDir();
  });

  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
  });

  it('prints and registers what ansible-playbook does, failures under failed_modules', () => {
    const ansible = run('ansible');
    const fleet = run('fleet');
    expect(ansible.status).toBe(0);
    expect(fleet.status).toBe(ansible.status);
    // Only the config file line differs at -v (fleet reads none here either way).
    const body = (output: string): string => output.slice(output.indexOf('PLAY ['));
    expect(body(fleet.stdout)).toBe(body(ansible.stdout));
    expect(ansible.stdout).toContain("\"msg\": \"['ansible_facts', 'warnings', 'deprecations', 'failed', 'changed']");
    expect(ansible.stdout).toContain('The following modules failed to execute: ansible.legacy.setup');
  }, 120_000);
});
