/**
 * Warnings ansible-playbook prints about tasks, compared with fleet's (the CLI, stdout and
 * stderr each). TaskExecutor._run_loop warns when the loop variable is already one of the
 * task's variables (an include's loop's `item`, a play var, a magic variable, one set to null;
 * not a connection variable only PlayContext sets), once per task and host as each forked
 * worker's Display does, so an included file's task warns again for the next include; an
 * empty loop runs no _run_loop and does not warn.
 *
 * `meta: reset_connection` resets the connection plugin the strategy makes for the host: the
 * local one does not override ConnectionBase.reset, which warns (once a run: the strategy's
 * Display, not a worker's), whether ansible_connection or the `connection:` keyword chose it;
 * the ssh one asks a ControlPersist master to stop and says so only at -vvv (the loopback
 * ssh host here is never connected to: `ssh -O check` only looks for the control socket).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const FILES: Record<string, string> = {
  'site.yml': `- hosts: testhost
  gather_facts: false
  vars:
    shadowed: 1
  tasks:
    - include_tasks: inner.yml
      loop: [a, b]
    - include_role: {name: looper}
      loop: [p]
    - name: play var as loop var
      debug: msg="{{ shadowed }}"
      loop: [x]
      loop_control: {loop_var: shadowed}
    - name: magic var as loop var
      debug: msg="{{ inventory_hostname }}"
      loop: [m]
      loop_control: {loop_var: inventory_hostname}
    - name: null var as loop var
      debug: msg=n
      loop: [n]
      loop_control: {loop_var: nothing}
      vars: {nothing: null}
    - name: empty loop
      debug: msg=e
      loop: []
      loop_control: {loop_var: shadowed}
    - name: connection var as loop var
      debug: msg="{{ ansible_host }}"
      loop: [c]
      loop_control: {loop_var: ansible_host}
    - name: own loop var
      debug: msg="{{ fresh }}"
      loop: [f]
      loop_control: {loop_var: fresh}
- hosts: viassh
  gather_facts: false
  tasks:
    - name: reset over ssh
      meta: reset_connection
- hosts: viassh
  gather_facts: false
  connection: local
  tasks:
    - name: reset local by keyword
      meta: reset_connection
    - name: reset local again
      meta: reset_connection
`,
  'ssh_inventory': 'viassh ansible_host=localhost ansible_port=1\n',
  'inner.yml': `- name: inner {{ item }}
  debug: msg="{{ item }}"
  loop: [1, 2]
- include_tasks: innermost.yml
  loop: [3]
`,
  'innermost.yml': '- debug: var=item\n',
  'roles/looper/tasks/main.yml': '- name: role loop\n  debug: msg="{{ item }}"\n  with_items: [r]\n',
};

let project: LocalProject;

describe.skipIf(!hasAnsible())('warnings about a task, as ansible-playbook prints them', () => {
  beforeAll(() => {
    project = localProject(FILES);
  });

  afterAll(() => project.remove());

  it('warns that a loop variable is already in use, per task and host, and that a local connection has no reset', () => {
    const { ansible, fleet } = project.both(['-i', 'ssh_inventory', 'site.yml']);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stderr).toBe(ansible.stderr);
    // What the comparison rests on: the included task warns again for the second include.
    expect(ansible.stderr.match(/TASK: inner \{\{ item \}\}: The loop variable 'item' is already in use/g)).toHaveLength(2);
    expect(ansible.stderr).toContain("[WARNING]: TASK: looper : role loop: The loop variable 'item' is already in\nuse.");
    expect(ansible.stderr).toContain("TASK: null var as loop var: The loop variable 'nothing' is already");
    expect(ansible.stderr).not.toContain('empty loop');
    expect(ansible.stderr).not.toContain('own loop var');
    // ansible_host is no task variable here: PlayContext adds it only when the module runs.
    expect(ansible.stderr).not.toContain('connection var as loop var');
    expect(ansible.stderr.match(/\[WARNING\]: Reset is not implemented for this connection\n/g)).toHaveLength(1);
    expect(ansible.stdout).toContain('TASK [reset local again]');
  }, 60_000);
});
