import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fileListing, localProject, toolOutput, type LocalProject, type ToolRun } from './local_project.js';

/**
 * community.general.sudoers (no short name: ansible-core 2.14 routes none) against
 * ansible-playbook on a local connection, one run per tool with -v, rules written under the
 * project (`sudoers_path`), never /etc/sudoers.d; both run this machine's `visudo -c -f -`,
 * which only reads the rule on its stdin. The printed results, the recap, every file's bytes
 * and mode afterwards: check mode, a user rule written 0440, the same again (nothing to
 * change), a group rule with runas, setenv, host, several commands and a password, a file with
 * the rule but the wrong mode, a rule visudo rejects, a symlink (written through), state:
 * absent, neither user nor group (the module's unbound `owner`), and a missing sudoers_path.
 */
const PLAYBOOK = `- hosts: testhost
  gather_facts: false
  vars:
    d: "{{ playbook_dir }}/{{ tool }}"
  tasks:
    - community.general.sudoers: { sudoers_path: "{{ d }}", name: alice, user: alice, commands: /usr/bin/ls }
      check_mode: true
    - community.general.sudoers: { sudoers_path: "{{ d }}", name: alice, user: alice, commands: /usr/bin/ls }
    - community.general.sudoers: { sudoers_path: "{{ d }}", name: alice, user: alice, commands: /usr/bin/ls }
    - community.general.sudoers:
        sudoers_path: "{{ d }}"
        name: ops
        group: ops
        runas: "root, postgres"
        setenv: true
        nopassword: false
        host: web1
        commands: [/usr/bin/systemctl restart nginx, /usr/bin/journalctl]
        validation: required
    - community.general.sudoers: { sudoers_path: "{{ d }}", name: loose, user: bob, commands: /usr/bin/id }
    - community.general.sudoers: { sudoers_path: "{{ d }}", name: broken, user: bob, runas: "(bad", commands: /usr/bin/id }
      ignore_errors: true
    - community.general.sudoers: { sudoers_path: "{{ d }}", name: link, user: carol, commands: ALL }
    - community.general.sudoers: { sudoers_path: "{{ d }}", name: old, state: absent }
    - community.general.sudoers: { sudoers_path: "{{ d }}", name: nobody, commands: ALL }
      ignore_errors: true
    - community.general.sudoers: { sudoers_path: "{{ d }}/missing", name: alice, user: alice, commands: ALL }
      ignore_errors: true
`;

const TOOLS = ['ansible', 'fleet'] as const;

function seed(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'loose'), 'bob ALL=NOPASSWD: /usr/bin/id\n');
  chmodSync(join(dir, 'loose'), 0o644);
  writeFileSync(join(dir, 'old'), 'dave ALL=NOPASSWD: ALL\n');
  writeFileSync(join(dir, 'target'), 'carol ALL=NOPASSWD: /usr/bin/true\n');
  chmodSync(join(dir, 'target'), 0o600);
  symlinkSync('target', join(dir, 'link'));
}

const normalized = toolOutput;

describe('sudoers on a local connection', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK });
    for (const tool of TOOLS) seed(join(project.dir, tool));
  });
  afterAll(() => project?.remove());

  it('writes sudoers rules as ansible-playbook does: output, results, recap, file bytes and modes', { timeout: 90_000 }, async ({ expect }) => {
    const [ansible, fleet] = (await Promise.all(TOOLS.map((tool) => project.runAsync(tool, ['site.yml', '-v', '-e', `tool=${tool}`])))) as [ToolRun, ToolRun];
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(normalized(fleet, 'fleet')).toBe(normalized(ansible, 'ansible'));
    expect(fleet.status).toBe(0);
    expect(fileListing(join(project.dir, 'fleet'))).toEqual(fileListing(join(project.dir, 'ansible')));
    // The cases this test means to cover did happen in ansible-playbook's run.
    expect(ansible.stdout).toMatch(/ok=10 +changed=6 .*ignored=3/);
    expect(ansible.stdout).toContain('Failed to validate sudoers rule');
    expect(ansible.stdout).toContain("cannot access local variable 'owner'");
    expect(ansible.stdout).toContain('[Errno 2] No such file or directory');
    expect(readFileSync(join(project.dir, 'ansible', 'ops'), 'utf8')).toBe('%ops web1=(root, postgres)SETENV: /usr/bin/systemctl restart nginx, /usr/bin/journalctl\n');
  });
});
