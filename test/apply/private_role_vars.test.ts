/**
 * DEFAULT_PRIVATE_ROLE_VARS (`private_role_vars` in ansible.cfg, ANSIBLE_PRIVATE_ROLE_VARS over
 * it), compared with ansible-playbook through fleet's CLI. Off (the default), VariableManager
 * gives every task of the play the vars of every play role, before the role ran too (a
 * pre_task), and of a public include_role once included; on, a role's vars (vars/main.yml,
 * the entry's `vars:`, its dependencies') are its own tasks' and its dependencies' only.
 * Either way every play role's defaults are the whole play's, and the next play sees none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const FILES: Record<string, string> = {
  'ansible.cfg': '[defaults]\nprivate_role_vars = True\n',
  'site.yml': `- hosts: testhost
  gather_facts: false
  pre_tasks:
    - name: before the roles ran
      debug: msg="{{ first_var | default('UNSET') }} {{ first_default | default('UNSET') }}"
  roles:
    - role: first
      vars: {entry_var: ev}
    - second
  tasks:
    - name: after the roles
      debug: msg="{{ first_var | default('UNSET') }} {{ first_default | default('UNSET') }} {{ dep_var | default('UNSET') }} {{ entry_var | default('UNSET') }}"
    - include_role: {name: third, public: true}
    - name: after a public include_role
      debug: msg="{{ third_var | default('UNSET') }} {{ third_default | default('UNSET') }}"
- hosts: testhost
  gather_facts: false
  tasks:
    - name: the next play
      debug: msg="{{ first_var | default('UNSET') }} {{ first_default | default('UNSET') }}"
`,
  'roles/first/meta/main.yml': 'dependencies: [dep]\n',
  'roles/first/defaults/main.yml': 'first_default: fd\n',
  'roles/first/vars/main.yml': 'first_var: fv\n',
  'roles/first/tasks/main.yml': '- debug: msg="first sees {{ first_var }} {{ first_default }} {{ dep_var }} {{ entry_var }}"\n',
  'roles/dep/vars/main.yml': 'dep_var: dv\n',
  'roles/dep/tasks/main.yml': `- debug: msg="dep sees {{ dep_var }} {{ lookup('vars', 'first_var', default='UNSET') }}"\n`,
  'roles/second/tasks/main.yml': `- name: second reads the first role's variables
  debug: msg="{{ name_read }} = {{ lookup('vars', name_read, default='UNSET') }}"
  loop: [first_var, first_default, dep_var, entry_var]
  loop_control: {loop_var: name_read}
`,
  'roles/third/defaults/main.yml': 'third_default: td\n',
  'roles/third/vars/main.yml': 'third_var: tv\n',
  'roles/third/tasks/main.yml': '- debug: msg="third sees {{ third_var }} {{ third_default }}"\n',
};

let project: LocalProject;

describe.skipIf(!hasAnsible())('private_role_vars, as ansible-playbook honours it', () => {
  beforeAll(() => {
    project = localProject(FILES);
  });

  afterAll(() => project.remove());

  it('shares role vars with the whole play when off', () => {
    const { ansible, fleet } = project.both(['site.yml'], 0, { ANSIBLE_PRIVATE_ROLE_VARS: 'False' });
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stderr).toBe(ansible.stderr);
    expect(ansible.stdout).toContain('TASK [before the roles ran] ****************************************************\nok: [testhost] => {\n    "msg": "fv fd"');
    expect(ansible.stdout).toContain('"msg": "entry_var = ev"');
    expect(ansible.stdout).toContain('TASK [after a public include_role] *********************************************\nok: [testhost] => {\n    "msg": "tv td"');
  }, 60_000);

  it('keeps role vars to the role and its dependencies when on, and defaults still shared', () => {
    const { ansible, fleet } = project.both(['site.yml']);
    expect(fleet.stdout).toBe(ansible.stdout);
    // fleet no longer names private_role_vars among the settings it ignores.
    expect(fleet.stderr).toBe(ansible.stderr);
    expect(ansible.stdout).toContain('"msg": "dep sees dv fv"');
    expect(ansible.stdout).toContain('"msg": "first_var = UNSET"');
    expect(ansible.stdout).toContain('"msg": "first_default = fd"');
    expect(ansible.stdout).toContain('TASK [after the roles] *********************************************************\nok: [testhost] => {\n    "msg": "UNSET fd UNSET UNSET"');
    expect(ansible.stdout).toContain('TASK [after a public include_role] *********************************************\nok: [testhost] => {\n    "msg": "UNSET td"');
  }, 60_000);
});
