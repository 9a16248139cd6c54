/**
 * setup's `filter`, compared with ansible-playbook 2.14 on a local connection
 * (AnsibleFactCollector._filter): a pattern without the `ansible_` prefix also matches with it,
 * and gather_subset and module_setup, whose collector has no namespace, are filtered by their
 * bare names like every other fact. A registered setup result's keys come in Ansible's order
 * (ansible_facts, failed, changed; a refused subset: failed, msg, changed).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: testhost
  gather_facts: no
  tasks:
    - setup:
        filter: user_id
      register: bare
    - setup:
        filter: ['gather_subset', 'ansible_user_id', 'module_setup']
      register: named
    - setup:
        filter: "*_id"
        gather_subset: ['!all']
      register: globbed
    - debug:
        msg: "{{ bare.ansible_facts.keys() | list }} {{ named.ansible_facts.keys() | list }} {{ globbed.ansible_facts.keys() | list | sort }}"
    - setup:
        gather_subset: nope
      register: refused
      ignore_errors: true
    - name: the order of a registered result's keys
      debug:
        msg: "{{ bare.keys() | list | join(',') }} {{ refused.keys() | list | join(',') }}"
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('setup filter, as in ansible-playbook', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK });
  });

  afterAll(() => project.remove());

  it('keeps the facts ansible-playbook keeps', () => {
    const { ansible, fleet } = project.both(['-v', 'site.yml']);
    expect(fromFirstPlay(fleet.stdout)).toBe(fromFirstPlay(ansible.stdout));
    expect(ansible.stdout).toContain(`"msg": "['ansible_user_id'] ['ansible_user_id', 'gather_subset', 'module_setup'] ['ansible_effective_group_id'`);
    expect(ansible.stdout).toContain('"msg": "ansible_facts,failed,changed failed,msg,changed"');
  }, 120_000);
});
