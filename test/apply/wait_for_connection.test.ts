import { afterAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - wait_for_connection:
      register: at_once
    - name: after a delay, every option given
      wait_for_connection: delay=1 sleep=2 timeout=30 connect_timeout=3
      register: delayed
    - name: in check mode
      wait_for_connection:
      check_mode: true
      register: checked
    - name: an option it does not take
      wait_for_connection: bogus=1
      ignore_errors: true
    - debug: var=at_once
    - debug: var=delayed
    - debug: var=checked
`;

describe('wait_for_connection', () => {
  let project: LocalProject | undefined;
  afterAll(() => project?.remove());

  it('prints and registers what ansible-playbook 2.14 does, on a local connection', async () => {
    project = localProject({ 'wait.yml': PLAYBOOK });
    const { ansible, fleet } = await project.bothAtOnce(['-v', 'wait.yml']);
    // Python's start-up on a loaded machine can take ansible-playbook's ping past a second.
    const normalised = (text: string) => text.slice(text.indexOf('PLAY [')).replace(/"elapsed": \d+/g, '"elapsed": SECONDS');
    expect(normalised(fleet.stdout)).toBe(normalised(ansible.stdout));
    // Each attempt resets the connection, which Ansible's local connection cannot do.
    expect(fleet.stderr).toBe(ansible.stderr);
    expect(fleet.stderr).toContain('[WARNING]: Reset is not implemented for this connection');
    const out = fleet.stdout;
    expect(out).toContain('TASK [wait_for_connection] ***');
    expect(out).toMatch(/TASK \[after a delay, every option given\] \*+\nok: \[testhost\] => \{"changed": false, "elapsed": 1\}/);
    expect(out).toMatch(/TASK \[in check mode\] \*+\nskipping: \[testhost\]/);
    expect(out).toContain('"msg": "Invalid options for wait_for_connection: bogus"');
  });
});
