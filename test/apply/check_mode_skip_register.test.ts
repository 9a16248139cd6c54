/**
 * A module without check mode, run under --check, is skipped and its result registered as
 * any module result is (TaskExecutor._execute): fleet returned the skip without registering
 * it, so a later task saw the variable undefined.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - tempfile: state=file
      register: made
    - debug: var=made
    - debug: msg="{{ made.path | default('no path') }} {{ made is skipped }}"
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('a module skipped in check mode, registered as ansible-playbook registers it', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK });
  });
  afterAll(() => project.remove());

  it('--check -v', () => {
    const { ansible, fleet } = project.both(['site.yml', '--check', '-v']);
    expect(fromFirstPlay(fleet.stdout)).toBe(fromFirstPlay(ansible.stdout));
    expect(fleet.stdout).toContain('"msg": "no path True"');
  });
});
