/**
 * The advice Ansible prints under an error's offending line (AnsibleError._get_extended_error):
 * "We could be wrong…" for a template that starts a value unquoted, and, when the line before
 * the task holds k=v shorthand, the position of its `=` and "There appears to be both 'k=v'
 * shorthand syntax and YAML in this task". fleet printed neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const play = (tasks: string) => `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`;

const FILES = {
  'unquoted.yml': play('    - debug: msg="{{ nope }}"\n'),
  'after_shorthand.yml': play('    - debug: msg=hi\n    - debug: msg="{{ nope }}"\n'),
  'after_shorthand_yaml.yml': play('    - debug: msg=hi\n    - debug:\n        msg: "a: {{ nope }}"\n'),
};

let project: LocalProject;

describe.skipIf(!hasAnsible())('advice under an error, as ansible-playbook gives it', () => {
  beforeAll(() => {
    project = localProject(FILES);
  });
  afterAll(() => project.remove());

  for (const playbook of Object.keys(FILES)) {
    it(playbook, () => {
      const { ansible, fleet } = project.both([playbook], 2);
      expect(fleet.stdout).toBe(ansible.stdout);
      expect(fleet.stdout).toMatch(/We could be wrong|k=v' shorthand/);
    });
  }
});
