/**
 * Where returned facts go (StrategyBase._process_pending_results' host_list), compared with
 * ansible-playbook on three local hosts: with delegate_facts they go to the host the task was
 * delegated to (per loop item), and a run_once task's facts (set_fact too) go to every host of
 * the batch. fleet used to give them to the task's own host in both cases.
 * Only a3 delegates its set_fact: with both a2 and a3 writing a1's fact, which one wins
 * depends on which of ansible-playbook's workers reports last, and it once did not match.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible, sortedSections } from './support.js';

const HOSTS = ['a1', 'a2', 'a3'].map((name) => `${name} ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n`).join('');

const PLAYBOOK = `- hosts: a2:a3
  gather_facts: no
  tasks:
    - set_fact: who="{{ inventory_hostname }}"
      delegate_to: a1
      delegate_facts: true
      when: inventory_hostname == 'a3'
    - debug: msg="a1={{ hostvars['a1'].who | default('unset') }} a2={{ hostvars['a2'].who | default('unset') }}"
- hosts: a1:a2:a3
  gather_facts: no
  tasks:
    - set_fact: shared="{{ inventory_hostname }}"
      run_once: true
    - debug: msg="{{ shared | default('unset') }}"
    - setup:
        filter: ansible_user_id
      delegate_to: "{{ item }}"
      delegate_facts: true
      run_once: true
      loop: [a2, a3]
    - debug: msg="{{ hostvars['a1'].ansible_user_id is defined }} {{ hostvars['a2'].ansible_user_id is defined }} {{ hostvars['a3'].ansible_user_id is defined }}"
      run_once: true
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('delegate_facts and run_once facts, as in ansible-playbook', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK, 'hosts.ini': HOSTS });
  });

  afterAll(() => project.remove());

  it('gives the facts to the hosts Ansible gives them to', () => {
    const { ansible, fleet } = project.both(['-i', 'hosts.ini', 'site.yml']);
    // Hosts finish a task in any order, under both tools.
    expect(sortedSections(fleet.stdout)).toEqual(sortedSections(ansible.stdout));
    expect(ansible.stdout).toContain('"msg": "a1=a3 a2=unset"');
    expect(ansible.stdout).toContain('"msg": "False True True"');
  }, 120_000);
});
