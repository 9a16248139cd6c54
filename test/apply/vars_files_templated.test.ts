/**
 * vars_files named by templates, compared with ansible-playbook 2.14 (VariableManager.get_vars
 * reads them for each task): an entry whose name uses a variable not defined yet — the classic
 * `vars/{{ ansible_os_family }}.yml` before facts are gathered — is skipped, and read for the
 * host's first task after its facts arrive; once the host has gathered facts, an undefined
 * variable in an entry is the run's error, at the entry. fleet used to stop at the play's start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: all
  gather_facts: no
  vars_files:
    - "vars/{{ ansible_os_family }}.yml"
    - ["vars/{{ ansible_system }}-missing.yml", "vars/common.yml"]
  tasks:
    - debug:
        msg: "{{ osvar | default('unset') }} {{ common | default('unset') }}"
    - setup:
        gather_subset: min
    - debug:
        msg: "{{ osvar | default('unset') }} {{ common | default('unset') }}"
- hosts: all
  gather_facts: no
  vars_files:
    - vars/common.yml
    - "vars/{{ not_defined_anywhere }}.yml"
  tasks:
    - debug:
        msg: never shown
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('vars_files named by templates, as in ansible-playbook', () => {
  beforeAll(() => {
    project = localProject({
      'site.yml': PLAYBOOK,
      'vars/Debian.yml': 'osvar: from-debian-file\n',
      'vars/common.yml': 'common: from-common-file\n',
    });
  });

  afterAll(() => project.remove());

  it('skips an entry until its variables are defined, then fails on one that never is', () => {
    const { ansible, fleet } = project.both(['site.yml'], 1);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stderr).toBe(ansible.stderr);
    expect(ansible.stdout).toContain('"msg": "unset unset"');
    expect(ansible.stdout).toContain('"msg": "from-debian-file from-common-file"');
    expect(ansible.stderr).toContain("an undefined variable was found when attempting to template the vars_files item 'vars/{{ not_defined_anywhere }}.yml'");
  }, 60_000);
});
