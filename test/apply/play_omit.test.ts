/**
 * `omit` in a play's own keywords, as in ansible's omit target (48673.yml): the play's vars
 * know `omit`, and a keyword that templates to it counts as unset, so `serial: "{{ x |
 * default(omit) }}"` runs the play in one batch. fleet stopped with "'omit' is undefined".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: testhost
  serial: "{{ testing_omitted_variable | default(omit) }}"
  gather_facts: false
  tasks:
    - debug:
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('omit in play keywords, as in ansible-playbook', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK });
  });

  afterAll(() => project.remove());

  it('takes a keyword that templates to omit as unset', () => {
    const { ansible, fleet } = project.both(['site.yml']);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stdout).toContain('"msg": "Hello world!"');
  }, 120_000);
});
