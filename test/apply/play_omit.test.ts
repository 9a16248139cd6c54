/**
 * `omit` in keywords, as in ansible's omit target: the play's vars know `omit`, and a keyword
 * that templates to it counts as unset, so `serial: "{{ x | default(omit) }}"` runs the play in
 * one batch (48673.yml; fleet stopped with "'omit' is undefined"), and a task keyword takes its
 * enclosing block's value (75692.yml's point, set_to_context; fleet refused the placeholder as
 * not a boolean).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: testhost
  serial: "{{ testing_omitted_variable | default(omit) }}"
  gather_facts: false
  tasks:
    - debug:
- hosts: testhost
  gather_facts: false
  tasks:
    - block:
        - command: "false"
          ignore_errors: "{{ omit }}"
        - copy:
            content: "x"
            dest: "{{ playbook_dir }}/never"
          check_mode: "{{ omit }}"
          register: copied
        - debug: msg="{{ copied.changed }} {{ (playbook_dir ~ '/never') is file }}"
          no_log: "{{ omit }}"
        - debug: msg="{{ copied.changed }} {{ (playbook_dir ~ '/never') is file }}"
      ignore_errors: true
      check_mode: true
      no_log: true
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('omit in play keywords, as in ansible-playbook', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK });
  });

  afterAll(() => project.remove());

  it('takes a keyword that templates to omit as unset', () => {
    const { ansible, fleet } = project.both(['site.yml']);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stdout).toContain('"msg": "Hello world!"');
    expect(fleet.stdout).toContain("TASK [copy] ********************************************************************\nchanged: [testhost]\n");
  }, 120_000);
});
