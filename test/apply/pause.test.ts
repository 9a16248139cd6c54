import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, sortedSections } from './support.js';
import { localProject, type LocalProject } from './local_project.js';

/**
 * pause on two hosts, against ansible-playbook: it runs once, on the first host (its action
 * bypasses the host loop), which alone registers the result and counts it; a timed pause shows
 * its countdown lines (the second ends in a carriage return), and a prompt is shown; without a
 * terminal on stdin, a prompt is not waited for and a warning says so.
 */
const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - name: wait a moment
      pause: { seconds: 1 }
      register: waited
    - pause:
      register: asked
    - pause: { minutes: 0, prompt: Type the secret, echo: false }
    - debug: { msg: "{{ waited.delta | default('not registered') }} / {{ asked.user_input | default('not registered') }}" }
`;

describe.skipIf(!hasAnsible())('pause', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({
      inventory: 'first ansible_connection=local ansible_python_interpreter=/usr/bin/python3\nsecond ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
      'pause.yml': PLAY,
    });
  });
  afterAll(() => project?.remove());

  it('runs once for the play, shows its countdown and prompt lines, and warns when it cannot ask, as ansible-playbook does', async () => {
    const run = await project.bothAtOnce(['pause.yml']);
    // The hosts' debug results come in either order.
    expect(sortedSections(run.fleet.stdout)).toEqual(sortedSections(run.ansible.stdout));
    expect(run.fleet.stderr).toBe(run.ansible.stderr);
    for (const output of [run.ansible.stdout, run.fleet.stdout]) {
      expect(output).toContain("Pausing for 1 seconds\n(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)\r\nok: [first]\n\n");
      expect(output).toContain("(output is hidden)\n(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)\r\n[pause]\nType the secret (output is hidden):\nok: [first]\n");
    }
    expect(run.ansible.stdout).toContain('Pausing for 1 seconds (output is hidden)\n');
    expect(run.ansible.stdout).toContain('[pause]\nType the secret (output is hidden):\n');
    expect(run.ansible.stderr).toContain('[WARNING]: Not waiting for response to prompt as stdin is not interactive');
    expect(run.ansible.stdout).toMatch(/first +: ok=4 .*\nsecond +: ok=1 /);
  }, 60_000);
});
