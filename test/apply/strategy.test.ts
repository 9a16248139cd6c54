/**
 * A play's `strategy`: fleet runs every strategy plugin ansible-core ships as linear and warns
 * when a play asks for another (it used to run `strategy: free` as linear without a word); a
 * name no plugin has stops the run with Ansible's message and exit code, before any play runs
 * when it is written out (ansible-playbook stops when that play starts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const FREE = '- hosts: testhost\n  gather_facts: no\n  strategy: ansible.builtin.free\n  tasks:\n    - debug: msg=free\n';
const LINEAR = '- hosts: testhost\n  gather_facts: no\n  strategy: linear\n  tasks:\n    - debug: msg=linear\n';
const BOGUS = '- hosts: testhost\n  gather_facts: no\n  tasks:\n    - debug: msg=first\n- hosts: testhost\n  gather_facts: no\n  strategy: bogus\n  tasks:\n    - debug: msg=second\n';
const TEMPLATED = '- hosts: testhost\n  gather_facts: no\n  strategy: "{{ chosen }}"\n  tasks:\n    - debug: msg=templated\n';

let project: LocalProject;

describe.skipIf(!hasAnsible())('play strategy', () => {
  beforeAll(() => {
    project = localProject({ 'free.yml': FREE, 'linear.yml': LINEAR, 'bogus.yml': BOGUS, 'templated.yml': TEMPLATED });
  });

  afterAll(() => project.remove());

  it('warns that free runs as linear, and prints what ansible-playbook prints', () => {
    const { ansible, fleet } = project.both(['free.yml']);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stderr).toBe("[WARNING]: fleet runs the 'free' strategy as 'linear': each task runs on every\nhost of the play before the next task starts\n");
    expect(project.run('fleet', ['linear.yml']).stderr).toBe('');
  }, 120_000);

  it('refuses a strategy no plugin has, with exit 1, before any play runs', () => {
    const fleet = project.run('fleet', ['bogus.yml']);
    const ansible = project.run('ansible', ['bogus.yml']);
    expect(fleet.status).toBe(ansible.status);
    expect(fleet.stderr.split('\n')[0]).toBe('ERROR! Invalid play strategy specified: bogus (at [1].strategy)');
    expect(ansible.stderr.split('\n')[0]).toBe('ERROR! Invalid play strategy specified: bogus');
    expect(fleet.stdout).not.toContain('first');
    const templated = project.run('fleet', ['-e', 'chosen=nope', 'templated.yml']);
    expect(templated.status).toBe(1);
    expect(templated.stderr.split('\n')[0]).toBe('ERROR! Invalid play strategy specified: nope');
  }, 120_000);
});
