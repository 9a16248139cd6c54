/**
 * The `vars` magic variable, `environment`, `ansible_config_file` and `ansible_playbook_python`,
 * compared with what ansible-playbook 2.14 prints. VariableManager.get_vars ends by putting a
 * copy of the task's variables in `vars`, and AnsibleJ2Vars hands it to templates untemplated:
 * play, role, include, task and extra vars, set_fact and registered results, magic variables
 * (hostvars, environment, ansible_config_file…) are in it; loop variables, ansible_search_path,
 * the connection variables PlayContext adds later and `vars` itself are not, and a value that
 * holds a template is its raw text. `hostvars[host]` (get_vars without a play) has no `vars`.
 * A loop_var naming any of them warns that it is already in use. ansible_config_file is the
 * ansible.cfg in use, else None. inventory_hostname, inventory_hostname_short (an IP address
 * whole) and group_names are host variables (Host.get_vars), which play or task vars override.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';

const FILES: Record<string, string> = {
  'site.yml': `- hosts: testhost
  gather_facts: false
  environment: {PLAY_ENV: "{{ inventory_hostname }}"}
  vars:
    a: 1
    name_of: a
    names: [a, b]
    b: 2
    y: why
    x: "{{ y }}"
  tasks:
    - name: by name, by a variable's value, as an attribute
      debug: msg="{{ vars['a'] }} {{ vars[name_of] }} {{ vars.a + 1 }} {{ vars.x }} {{ vars['x'] | length }} {{ vars.ev }}"
    - name: what it holds and lacks
      debug: msg="{{ 'vars' in vars }} {{ 'hostvars' in vars }} {{ 'ansible_search_path' in vars }} {{ 'ansible_host' in vars }} {{ vars.environment }} {{ 'vars' in hostvars[inventory_hostname] }}"
      environment: {TASK_ENV: t}
    - name: loop variables are not in it
      debug: msg="{{ vars['item'] | default('no item') }} {{ vars.ansible_loop_var | default('no loop var') }} {{ vars[item] }}"
      loop: "{{ names }}"
    - command: echo registered
      register: reg
      changed_when: false
    - set_fact: fact=3
    - name: registered results, facts set, task vars
      debug: msg="{{ vars.reg.stdout }} {{ vars['fact'] }} {{ vars.tv }}"
      vars: {tv: task var}
    - include_role: {name: r}
      vars: {rp: P}
    - include_tasks: inc.yml
      loop: [i1]
      vars: {incp: IP}
    - name: as a dict
      debug: msg="{{ vars | dict2items | selectattr('key', 'in', names) | list }} {{ vars.keys() | list | length == vars | length }} {{ vars.get('b') }}"
    - name: every name in it, in Ansible's order
      debug: msg="{{ vars.keys() | list }}"
    - name: host magic variables are host variables, which task vars override
      debug: msg="{{ group_names }} {{ inventory_hostname_short }}"
      vars: {group_names: [mine]}
    - name: changed in place, for this task only
      debug:
        msg: "{{ vars.update({'zz': 1}) }}{{ vars.zz }} {{ zz | default('no zz') }}"
    - debug: msg="{{ vars.zz | default('no zz') }}"
    - name: the controller's python and ansible.cfg
      debug: msg="{{ ansible_playbook_python }} {{ ansible_config_file }} {{ hostvars[inventory_hostname].ansible_config_file }}"
    - debug: msg="{{ vars }}"
      loop: [v]
      loop_control: {loop_var: vars}
    - debug: msg="{{ ansible_config_file }}"
      loop: [c]
      loop_control: {loop_var: ansible_config_file}
    - debug: msg="{{ environment }}"
      loop: [e]
      loop_control: {loop_var: environment}
`,
  'inc.yml': `- debug: msg="{{ vars['item'] }} {{ vars.incp }} {{ vars.ansible_loop_var | default('no loop var') }}"\n`,
  'roles/r/defaults/main.yml': 'rdef: D\n',
  'roles/r/vars/main.yml': 'rvar: "{{ rdef }}V"\n',
  'roles/r/tasks/main.yml': `- debug: msg="{{ vars.rdef }} {{ vars.rvar }} {{ vars.rp }} {{ vars.role_name }} {{ vars.role_uuid is string }}"\n`,
  'site.cfg': '[defaults]\n',
  'none.yml': `- hosts: testhost
  gather_facts: false
  tasks:
    - debug: var=ansible_config_file
    - debug: msg="[{{ ansible_config_file }}] {{ vars.ansible_config_file is none }}"
- hosts: 10.1.2.3
  gather_facts: false
  tasks:
    - debug: msg="{{ inventory_hostname_short }} {{ hostvars['testhost'].inventory_hostname_short }}"
`,
  'ip_inventory': '10.1.2.3 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
};

let project: LocalProject;

describe('the vars magic variable, as ansible-playbook has it', () => {
  beforeAll(() => {
    project = localProject(FILES);
  });

  afterAll(() => project.remove());

  it('holds every variable of the task but loop and connection variables, raw, and warns for it as a loop_var', () => {
    const { ansible, fleet } = project.both(['site.yml', '-e', 'ev=extra'], 0, { ANSIBLE_CONFIG: 'site.cfg' });
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stderr).toBe(ansible.stderr);
    // What the comparison rests on.
    expect(ansible.stdout).toContain('"msg": "1 1 2 {{ y }} 7 extra"');
    expect(ansible.stdout).toContain(`"msg": "False True False False [{'PLAY_ENV': '{{ inventory_hostname }}'}, {'TASK_ENV': 't'}] False"`);
    expect(ansible.stdout).toContain('"msg": "no item no loop var 2"');
    expect(ansible.stdout).toContain('"msg": "registered 3 task var"');
    expect(ansible.stdout).toContain('"msg": "D {{ rdef }}V P r True"');
    expect(ansible.stdout).toContain(`"msg": "['mine'] testhost"`);
    expect(ansible.stdout).toContain('"msg": "i1 IP no loop var"');
    expect(ansible.stdout).toContain('"msg": "1 no zz"');
    expect(ansible.stdout).toContain(`"msg": "/usr/bin/python3 ${project.dir}/site.cfg ${project.dir}/site.cfg"`);
    for (const name of ['vars', 'ansible_config_file', 'environment']) expect(ansible.stderr).toContain(`The loop variable '${name}' is already`);
  }, 60_000);

  it('has ansible_config_file None when no ansible.cfg is found, and an IP address as its own short name', () => {
    const { ansible, fleet } = project.both(['-i', 'ip_inventory', 'none.yml']);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(ansible.stdout).toContain('"ansible_config_file": null');
    expect(ansible.stdout).toContain('"msg": "10.1.2.3 testhost"');
  }, 30_000);
});
