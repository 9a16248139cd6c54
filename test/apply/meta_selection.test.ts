/**
 * A meta task the playbook wrote is selected by --tags, --skip-tags and --start-at-task as any
 * task is (Block.filter_tagged_tasks keeps only the implicit metas whatever the tags, and the
 * PlayIterator passes over every task before the start). fleet ran every meta: an untagged
 * `meta: end_play` under `--tags info` ended the play before the tagged tasks after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - debug: msg=before
      tags: [info]
    - meta: end_play
    - name: after
      debug: msg=after
      tags: [info]
    - meta: noop
      tags: [info]
    - meta: end_play
      tags: [never, last]
    - name: never reached
      debug: msg=never
      tags: [info, last]
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('meta tasks and task selection, as in ansible-playbook', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK });
  });
  afterAll(() => project.remove());

  for (const args of [['--tags', 'info'], ['--skip-tags', 'info'], ['--start-at-task', 'after'], ['--tags', 'last']]) {
    it(args.join(' '), () => {
      const { ansible, fleet } = project.both(['site.yml', ...args]);
      expect(fleet.stdout).toBe(ansible.stdout);
      expect(fleet.stderr).toBe(ansible.stderr);
    });
  }
});
