import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible } from './support.js';
import { localProject, type LocalProject } from './local_project.js';

/**
 * raw's action (plugins/action/raw.py) against ansible-playbook: its command reaches the
 * connection without the task's `environment`, and a warning says so when an environment is
 * set (an empty one is not); in check mode it skips itself with no message.
 */
const PLAY = `- hosts: all
  gather_facts: false
  environment: {}
  tasks:
    - raw: echo "FOO=$FOO"
      register: plain
    - raw: echo "FOO=$FOO"
      environment: { FOO: from-the-task }
      register: with_env
    - debug: { msg: "{{ [plain, with_env] }}" }
`;

describe.skipIf(!hasAnsible())('raw', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'raw.yml': PLAY });
  });
  afterAll(() => project?.remove());

  it('ignores the environment keyword with a warning, as ansible-playbook does', () => {
    const run = project.both(['raw.yml', '-v']);
    expect(run.fleet.stdout).toBe(run.ansible.stdout);
    expect(run.fleet.stderr).toBe(run.ansible.stderr);
    expect(run.ansible.stderr.match(/\[WARNING\]: raw module does not support the environment keyword/g)).toHaveLength(1);
    expect(run.ansible.stdout).not.toContain('from-the-task');
  }, 60_000);

  it('skips itself in check mode with no message, still warning of the environment', () => {
    const run = project.both(['raw.yml', '-v', '--check']);
    expect(run.fleet.stdout).toBe(run.ansible.stdout);
    expect(run.fleet.stderr).toBe(run.ansible.stderr);
    expect(run.ansible.stdout).toContain('skipping: [testhost] => {"changed": false}\n');
    expect(run.ansible.stdout).toMatch(/testhost +: ok=1 +changed=0 .*skipped=2 /);
  }, 60_000);
});
