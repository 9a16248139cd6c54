/**
 * When a role counts as run on a host (Role.has_run), compared with ansible-playbook on two
 * local hosts: only once a task of it ran there (ok, changed or failed, not skipped) and its
 * listing ended (the implicit role_complete), so a dependency whose tasks a `when` skipped on
 * one host runs there when the role is listed again, and not on the host that ran it. Also a
 * role entry's `vars:` (here a dependency's), which are role vars under vars/main.yml.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible, recap, sortedSections } from './support.js';

const HOSTS = ['w1', 'w2'].map((name) => `${name} ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n`).join('');

const ROLES: Record<string, string> = {
  'web/tasks/main.yml': '- debug: msg="web main port={{ port }}"\n',
  'web/tasks/extra.yml': '- debug: msg="web extra {{ extra_var | default(\'-\') }}"\n',
  'web/defaults/main.yml': 'port: 80\n',
  'web/meta/main.yml': 'dependencies:\n  - role: common\n    vars:\n      who: dep\n',
  'common/tasks/main.yml': '- debug: msg="common {{ who | default(\'nobody\') }}"\n',
  'entry/tasks/main.yml': '- debug: msg="entry {{ level }}"\n',
  'entry/vars/main.yml': 'level: from-vars-main\n',
};

const PLAYBOOK = `- hosts: w1:w2
  gather_facts: no
  roles:
    - role: web
      when: inventory_hostname == 'w1'
    - role: entry
      vars:
        level: from-entry
        other: kept
  tasks:
    - include_role:
        name: web
        tasks_from: extra
      vars:
        extra_var: given
    - include_role:
        name: common
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('which roles count as run, as in ansible-playbook', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK, 'hosts.ini': HOSTS });
    for (const [file, text] of Object.entries(ROLES)) {
      mkdirSync(join(project.dir, 'roles', file, '..'), { recursive: true });
      writeFileSync(join(project.dir, 'roles', file), text);
    }
  });

  afterAll(() => project.remove());

  it('runs a skipped dependency again where it was skipped, and role entry vars under vars/main.yml', () => {
    const { ansible, fleet } = project.both(['-i', 'hosts.ini', 'site.yml']);
    expect(sortedSections(fleet.stdout)).toEqual(sortedSections(ansible.stdout));
    expect(recap(fleet.stdout)).toEqual(recap(ansible.stdout));
    expect(ansible.stdout).toContain('"msg": "common dep"');
    expect(ansible.stdout).toContain('"msg": "entry from-vars-main"');
  }, 120_000);
});
