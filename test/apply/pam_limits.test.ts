import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fileListing, localProject, toolOutput, type LocalProject, type ToolRun } from './local_project.js';

/**
 * community.general.pam_limits (where ansible-core 2.14 routes the short name) against
 * ansible-playbook on a local connection, one run per tool with -v --diff, on files under the
 * project (`dest`), never /etc: the printed results and diffs, a registered result (its diff
 * included), the recap, every file's bytes and mode afterwards. Covers check mode, a limit
 * added with a comment, use_max and use_min, nothing to change, a missing file (made, in check
 * mode too, as the module does), backup (made even in check mode and when nothing changes), a
 * symlink (replaced, as atomic_move does), a missing directory, an invalid value and an
 * invalid line in the file.
 */
const PLAYBOOK = `- hosts: testhost
  gather_facts: false
  vars:
    d: "{{ playbook_dir }}/{{ tool }}"
  tasks:
    - pam_limits: { dest: "{{ d }}/limits.conf", domain: "*", limit_type: soft, limit_item: nofile, value: "4096" }
      check_mode: true
    - community.general.pam_limits: { dest: "{{ d }}/limits.conf", domain: "@dev", limit_type: hard, limit_item: nproc, value: "200", comment: developers }
      register: added
    - pam_limits: { dest: "{{ d }}/limits.conf", domain: "*", limit_type: soft, limit_item: nofile, value: "4096", use_max: true }
    - pam_limits: { dest: "{{ d }}/limits.conf", domain: "*", limit_type: soft, limit_item: nofile, value: "8192", use_min: true }
    - pam_limits: { dest: "{{ d }}/limits.conf", domain: "*", limit_type: hard, limit_item: core, value: "0", backup: true }
      check_mode: true
    - ansible.builtin.pam_limits: { dest: "{{ d }}/new.conf", domain: joe, limit_type: "-", limit_item: priority, value: "-5", backup: true }
    - pam_limits: { dest: "{{ d }}/checked.conf", domain: joe, limit_type: "-", limit_item: nice, value: "5" }
      check_mode: true
    - pam_limits: { dest: "{{ d }}/link.conf", domain: "*", limit_type: soft, limit_item: core, value: "0" }
    - pam_limits: { dest: "{{ d }}/nodir/limits.conf", domain: "*", limit_type: soft, limit_item: core, value: "0" }
      ignore_errors: true
    - pam_limits: { dest: "{{ d }}/limits.conf", domain: "*", limit_type: soft, limit_item: core, value: lots }
      ignore_errors: true
    - pam_limits: { dest: "{{ d }}/bad.conf", domain: "*", limit_type: soft, limit_item: core, value: "1" }
      ignore_errors: true
    - debug: { var: added }
`;

const LIMITS = '# /etc/security/limits.conf\n#<domain> <type> <item> <value>\n*\tsoft\tnofile\t1024\n@admin  hard  nproc  unlimited   # admins\n\n';
const TOOLS = ['ansible', 'fleet'] as const;

function seed(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'limits.conf'), LIMITS);
  chmodSync(join(dir, 'limits.conf'), 0o640);
  writeFileSync(join(dir, 'target.conf'), '*\tsoft\tcore\t0\n');
  chmodSync(join(dir, 'target.conf'), 0o600);
  symlinkSync('target.conf', join(dir, 'link.conf'));
  writeFileSync(join(dir, 'bad.conf'), '* soft core 1\nbob hard nofile many\n');
}

const BACKUP_SUFFIX = /\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~/g;
const backupNamed = (name: string): string => name.replace(BACKUP_SUFFIX, '.PID.TIME~');

const normalized = (run: ToolRun, tool: string): string => toolOutput(run, tool).replace(BACKUP_SUFFIX, '.PID.TIME~');

describe('pam_limits on a local connection', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK });
    for (const tool of TOOLS) seed(join(project.dir, tool));
  });
  afterAll(() => project?.remove());

  it('edits limits files as ansible-playbook does: output, results, diffs, recap, file bytes and modes', { timeout: 90_000 }, async ({ expect }) => {
    const [ansible, fleet] = (await Promise.all(TOOLS.map((tool) => project.runAsync(tool, ['site.yml', '-v', '--diff', '-e', `tool=${tool}`])))) as [ToolRun, ToolRun];
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(normalized(fleet, 'fleet')).toBe(normalized(ansible, 'ansible'));
    expect(fleet.status).toBe(0);
    expect(fileListing(join(project.dir, 'fleet'), backupNamed)).toEqual(fileListing(join(project.dir, 'ansible'), backupNamed));
    // The cases this test means to cover did happen in ansible-playbook's run.
    expect(ansible.stdout).toMatch(/ok=12 +changed=\d+ .*ignored=3/);
    expect(ansible.stdout).toContain('is not writable (check presence, access rights, use sudo)');
    expect(ansible.stdout).toContain("Value of 'lots' for item 'core' is invalid");
    expect(ansible.stdout).toContain("Invalid configuration found in '");
    expect(fileListing(join(project.dir, 'ansible'), backupNamed).filter((line) => line.includes('.PID.TIME~'))).toHaveLength(2);
  });
});
