/**
 * What a no_log result prints, compared with ansible-playbook 2.14 line for line. The default
 * callback receives TaskResult.clean_copy(), which keeps neither the item nor its label, so a
 * censored loop item prints as `(item=None)` (an include keeps its `(censored due to no_log)`).
 * A task that raises before its module runs (an undefined variable in its arguments) fails
 * with TaskExecutor.run's result, which carries the no_log its play context templated last:
 * a templated `no_log` censors that error too. The playbooks are those of ansible's own
 * `no_log` integration target (dynamic.yml) and per-item/skipped/failed/include cases, on a
 * local connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const DYNAMIC = `- name: test dynamic no log
  hosts: testhost
  gather_facts: no
  ignore_errors: yes
  tasks:
    - name: no loop, task fails, dynamic no_log
      debug:
        msg: "SHOW {{ var_does_not_exist }}"
      no_log: "{{ not (unsafe_show_logs|bool) }}"
    - name: loop, task succeeds, dynamic does no_log
      debug:
        msg: "SHOW {{ item }}"
      loop: [a, b, c]
      no_log: "{{ not (unsafe_show_logs|bool) }}"
    - name: loop, task fails, dynamic no_log
      debug:
        msg: "SHOW {{ var_does_not_exist }}"
      loop: [a, b, c]
      no_log: "{{ not (unsafe_show_logs|bool) }}"
`;

const PER_ITEM = `- hosts: testhost
  gather_facts: no
  tasks:
    - name: one item hidden
      command: echo "{{ item.text }}"
      loop:
        - { hide: true, text: "SECRET-ONE" }
        - { hide: false, text: public }
      no_log: "{{ item.hide }}"
    - name: a skipped item and a labelled one
      debug: msg=SECRET-TWO
      when: item == 'b'
      loop: [a, b]
      loop_control:
        label: "L{{ item }}"
      no_log: true
    - name: a failing item
      command: "false"
      loop: [a]
      no_log: true
      ignore_errors: true
    - name: an include
      include_tasks: included.yml
      loop: [a]
      no_log: true
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('no_log output, as ansible-playbook prints it', () => {
  beforeAll(() => {
    project = localProject({ 'dynamic.yml': DYNAMIC, 'per_item.yml': PER_ITEM, 'included.yml': '- debug: msg=included\n' });
  });

  afterAll(() => project.remove());

  it.each(['no', 'yes'])('censors what a templated no_log hides, raised errors too (unsafe_show_logs=%s)', (show) => {
    const { ansible, fleet } = project.both(['-e', `unsafe_show_logs=${show}`, 'dynamic.yml']);
    expect(fleet.stdout).toBe(ansible.stdout);
    // At this verbosity only the two raised errors print their result (runme.sh counts six at -vvvvv, with the items).
    expect(fleet.stdout.split('output has been hidden').length - 1).toBe(show === 'no' ? 2 : 0);
  }, 120_000);

  it('prints censored loop items as (item=None), an include as censored, and never the secrets', () => {
    const { ansible, fleet } = project.both(['per_item.yml']);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stdout).toContain('changed: [testhost] => (item=None)\n');
    expect(fleet.stdout).toContain('=> (item=(censored due to no_log))\n');
    expect(fleet.stdout).not.toMatch(/SECRET-ONE|SECRET-TWO/);
  }, 120_000);
});
