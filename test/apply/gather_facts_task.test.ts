/**
 * `gather_facts` as a task (ansible.builtin.gather_facts, the action Play.compile's implicit
 * "Gathering Facts" is), compared with ansible-playbook 2.14 on a local connection: it runs
 * setup with the task's arguments but `parallel`, its result holds the facts with warnings and
 * deprecations and -v does not print it, and a setup failure (an argument setup rejects, a bad
 * subset) comes back under failed_modules. The implicit Gathering Facts is this action too, so a
 * play's bad gather_subset fails it the same way. Ansible's own integration targets use it
 * (omit's setup_test_user role starts with one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject } from './local_project.js';
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
- hosts: testhost
  gather_subset: nope
  tasks:
    - debug: msg=never
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('gather_facts as a task, as in ansible-playbook', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK });
  });

  afterAll(() => project.remove());

  it('prints and registers what ansible-playbook does, failures under failed_modules', () => {
    const { ansible, fleet } = project.both(['-v', 'site.yml'], 2);
    expect(fromFirstPlay(fleet.stdout)).toBe(fromFirstPlay(ansible.stdout));
    expect(ansible.stdout).toContain("\"msg\": \"['ansible_facts', 'warnings', 'deprecations', 'failed', 'changed']");
    expect(ansible.stdout).toContain('The following modules failed to execute: ansible.legacy.setup');
  }, 120_000);
});
