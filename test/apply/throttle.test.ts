/**
 * `throttle` limits how many hosts run a task (or handler) at once, as StrategyBase._queue_task
 * holds back workers: three hosts each take a lock directory for a second, so any two running
 * together fail. fleet used to accept the keyword and run every host at once (--forks).
 * Compared with ansible-playbook on three local hosts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible, recap } from './support.js';

const HOSTS = ['a1', 'a2', 'a3'].map((name) => `${name} ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n`).join('');

const PLAYBOOK = `- hosts: a1:a2:a3
  gather_facts: no
  tasks:
    - name: one host at a time holds the lock
      shell: "mkdir {{ lock }} && sleep 1 && rmdir {{ lock }}"
      throttle: "{{ limit }}"
    - command: "true"
      notify: take the lock again
  handlers:
    - name: take the lock again
      shell: "mkdir {{ lock }} && sleep 1 && rmdir {{ lock }}"
      throttle: 1
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('throttle, as in ansible-playbook', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK, 'hosts.ini': HOSTS });
  });

  afterAll(() => project.remove());

  it('runs a throttled task and handler on one host at a time', () => {
    const args = ['-i', 'hosts.ini', '-e', `lock=${project.dir}/lock`, '-e', 'limit=1', 'site.yml'];
    const { ansible, fleet } = project.both(args);
    expect(recap(fleet.stdout)).toEqual(recap(ansible.stdout));
    for (const host of ['a1', 'a2', 'a3']) expect(recap(fleet.stdout).get(host)).toMatchObject({ ok: 3, changed: 3, failed: 0 });
  }, 120_000);

  it('refuses a throttle that is not a number', () => {
    const fleet = project.run('fleet', ['-i', 'hosts.ini', '-e', `lock=${project.dir}/lock`, '-e', 'limit=some', 'site.yml']);
    expect(fleet.status).toBe(1);
    expect(fleet.stderr).toContain('Failed to convert the throttle value to an integer.');
  }, 120_000);
});
