import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, recap } from './support.js';
import { localProject, type LocalProject } from './local_project.js';

/**
 * The service action (plugins/action/service.py) against ansible-playbook: on its way to the
 * systemd module it drops the options systemd has no use for, warning of each as the task
 * wrote it. The unit does not exist (and the test machine may not run systemd), so the task
 * fails in both tools and is ignored; only the warnings and the counts are compared.
 */
const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - service: { name: fleet-no-such-unit, state: started, use: systemd, sleep: 1, pattern: x, args: "-v", runlevel: "3" }
      ignore_errors: true
    - service: { name: fleet-no-such-unit, state: started, use: systemd, arguments: "-v" }
      ignore_errors: true
`;

describe.skipIf(!hasAnsible())('service on systemd', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'service.yml': PLAY });
  });
  afterAll(() => project?.remove());

  it('warns of each option systemd does not use, as ansible-playbook does', () => {
    const run = project.both(['service.yml']);
    expect(run.fleet.stderr).toBe(run.ansible.stderr);
    expect(run.ansible.stderr).toBe(
      ['pattern', 'runlevel', 'sleep', 'args', 'arguments'].map((option) => `[WARNING]: Ignoring "${option}" as it is not used in "systemd"\n`).join(''),
    );
    expect(recap(run.fleet.stdout)).toEqual(recap(run.ansible.stdout));
  }, 60_000);
});
