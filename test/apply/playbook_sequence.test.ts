/**
 * Several playbooks on one command line, as PlaybookExecutor.run runs them: the recap after
 * each playbook (with the counts so far), no further playbook once one ends with a host failed
 * (in any of its plays, rescued and ignored failures aside), and --start-at-task's error when
 * no task matched. fleet printed one recap at the end, went on to the next playbook with the
 * hosts that had not failed, and said nothing of an unmatched --start-at-task.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible, sortedSections } from './support.js';

const play = (tasks: string) => `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`;

const FILES = {
  inventory: 'h1 ansible_connection=local\nh2 ansible_connection=local\n',
  'ok.yml': play('    - debug: msg=one\n    - name: two\n      debug: msg=two\n'),
  'later.yml': play('    - debug: msg=later\n'),
  // h1 fails in the first play; the second play runs on h2 alone, and ends well.
  'fails_then_ok.yml': `${play('    - fail: msg=boom\n      when: inventory_hostname == "h1"\n')}${play('    - debug: msg=still\n')}`,
  'rescued.yml': play('    - block:\n        - fail: msg=boom\n      rescue:\n        - debug: msg=rescued\n    - fail: msg=ignored\n      ignore_errors: true\n'),
};

let project: LocalProject;

describe.skipIf(!hasAnsible())('several playbooks in one run, as ansible-playbook runs them', () => {
  beforeAll(() => {
    project = localProject(FILES);
  });
  afterAll(() => project.remove());

  const cases: { name: string; args: string[]; status: number; recaps: number }[] = [
    { name: 'a recap after each playbook, the second with the counts of both', args: ['ok.yml', 'later.yml'], status: 0, recaps: 2 },
    { name: 'a host failed in an earlier play of a playbook: the next playbook does not run', args: ['fails_then_ok.yml', 'later.yml'], status: 2, recaps: 1 },
    { name: 'rescued and ignored failures do not stop the next playbook', args: ['rescued.yml', 'later.yml'], status: 0, recaps: 2 },
    { name: '--start-at-task that matches no task: the error after the last recap, exit 0', args: ['ok.yml', 'later.yml', '--start-at-task', 'nothere'], status: 0, recaps: 2 },
    { name: '--start-at-task that matches: no error', args: ['ok.yml', 'later.yml', '--start-at-task', 'two'], status: 0, recaps: 2 },
  ];
  for (const { name, args, status, recaps } of cases) {
    it(name, () => {
      const { ansible, fleet } = project.both(args, status);
      // Two hosts finish a task in either order.
      expect(sortedSections(fleet.stdout)).toEqual(sortedSections(ansible.stdout));
      expect(fleet.stderr).toBe(ansible.stderr);
      expect(fleet.stdout.split('PLAY RECAP').length - 1).toBe(recaps);
    });
  }
});
