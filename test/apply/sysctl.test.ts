import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fileListing, localProject, toolOutput, type LocalProject, type ToolRun } from './local_project.js';

/**
 * ansible.posix.sysctl against ansible-playbook on a local connection. FILE_PLAY edits files
 * in the project only (reload and sysctl_set off): a seeded file with comments, `key = value`
 * spacing, a line without `=` and duplicate keys; a key already at its value, a changed one
 * (duplicates dropped, each key keeping its first line's value, every key line rewritten
 * `key=value`), absent, a boolean word, the aliases, the builtin and collection names, a file
 * that does not exist yet, a symlink (replaced by the file, as atomic_move does) and CRLF
 * lines. Its main cases run in check mode with --diff first (nothing written, and no diff:
 * the module returns none), then all for real, then again (changed=0). KERNEL_PLAY sets keys in the kernel,
 * inside `unshare --uts --net` so no other process sees them: sysctl_set with reload (twice:
 * the second changes nothing), a value compared with the kernel's word by word (it prints
 * `0<TAB>2147483647`, so the second run changes nothing), sysctl's failures (an invalid
 * value, a key the kernel lacks, with and without ignoreerrors) and main()'s.
 */
const FILE_PLAY = `- hosts: testhost
  gather_facts: false
  vars:
    d: "{{ playbook_dir }}/{{ tool }}"
  tasks:
    - sysctl: { name: spaced.key, value: "a   b", sysctl_file: "{{ d }}/main.conf", reload: false }
      tags: check
    - sysctl: { name: kernel.foo, value: " 4 ", sysctl_file: "{{ d }}/main.conf", reload: false }
      tags: check
    - sysctl: { name: net.a, state: absent, sysctl_file: "{{ d }}/main.conf", reload: false }
      tags: check
    - ansible.posix.sysctl: { key: " new.flag ", val: "yes", sysctl_file: "{{ d }}/main.conf", reload: false }
    - ansible.builtin.sysctl: { name: vm.int, value: 5, sysctl_file: "{{ d }}/main.conf", reload: false }
    - sysctl: { name: fresh.key, value: "1", sysctl_file: "{{ d }}/fresh.conf", reload: false }
      tags: check
    - sysctl: { name: linked.key, value: "2", sysctl_file: "{{ d }}/link.conf", reload: false }
      tags: check
    - sysctl: { name: b, value: "3", sysctl_file: "{{ d }}/crlf.conf", reload: false }
`;

const KERNEL_PLAY = `- hosts: testhost
  gather_facts: false
  vars:
    d: "{{ playbook_dir }}/{{ tool }}-kernel"
  tasks:
    - sysctl: { name: kernel.domainname, value: fleet.example, sysctl_file: "{{ d }}/k.conf", sysctl_set: true, reload: true }
      register: set_and_reload
    - sysctl: { name: kernel.domainname, value: fleet.example, sysctl_file: "{{ d }}/k.conf", sysctl_set: true, reload: true }
      register: set_again
    - debug: { msg: "{{ lookup('pipe', 'sysctl -n kernel.domainname') }}" }
    - sysctl: { name: net.ipv4.ping_group_range, value: "0   2147483647", sysctl_file: "{{ d }}/p.conf", sysctl_set: true, reload: false }
      register: words
    - sysctl: { name: net.ipv4.ping_group_range, value: "0   2147483647", sysctl_file: "{{ d }}/p.conf", sysctl_set: true, reload: false }
      register: words_again
    - debug: { msg: "{{ lookup('pipe', 'sysctl -n net.ipv4.ping_group_range') }}" }
    - sysctl: { name: net.ipv4.ping_group_range, value: abc, sysctl_file: "{{ d }}/p.conf", sysctl_set: true, reload: false }
      register: invalid
      ignore_errors: true
    - sysctl: { name: nosuch.fleet_key, value: "1", sysctl_file: "{{ d }}/u.conf", sysctl_set: true }
      register: unknown_set
      ignore_errors: true
    - sysctl: { name: nosuch.fleet_key, value: "1", sysctl_file: "{{ d }}/u.conf" }
      register: unknown_reload
      ignore_errors: true
    - sysctl: { name: nosuch.fleet_key, value: "1", sysctl_file: "{{ d }}/i.conf", sysctl_set: true, ignoreerrors: true }
      register: unknown_ignored
    - sysctl: { name: "", value: "1", sysctl_file: "{{ d }}/k.conf" }
      register: blank_name
      ignore_errors: true
    - sysctl: { name: x, sysctl_file: "{{ d }}/k.conf" }
      register: no_value
      ignore_errors: true
    - debug: { msg: "{{ [set_and_reload, set_again, words, words_again, invalid, unknown_set, unknown_reload, unknown_ignored, blank_name, no_value] }}" }
`;

const MAIN_CONF = '# kernel settings\n  ; old comment\nkernel.foo = 1\n\nnet.a=2\nkernel.foo=3\nno equals here\n   spaced.key   =   a   b  \nnet.a = 9\nvm.dup = 5\nvm.dup = 6\n';
const TOOLS = ['ansible', 'fleet'] as const;

function seed(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.conf'), MAIN_CONF);
  chmodSync(join(dir, 'main.conf'), 0o640);
  writeFileSync(join(dir, 'target.conf'), 'linked.key=1\n');
  chmodSync(join(dir, 'target.conf'), 0o600);
  symlinkSync('target.conf', join(dir, 'link.conf'));
  writeFileSync(join(dir, 'crlf.conf'), 'a=1\r\nb=2\r\n');
}

const normalized = toolOutput;

/** ansible-playbook or fleet apply in a UTS and network namespace of its own, so its kernel keys are its own. */
const OWN_NAMESPACES = ['unshare', '--uts', '--net'];

// The two plays use their own directories, so they run at the same time.
describe.concurrent('sysctl on a local connection', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'files.yml': FILE_PLAY, 'kernel.yml': KERNEL_PLAY });
    for (const tool of TOOLS) {
      seed(join(project.dir, tool));
      mkdirSync(join(project.dir, `${tool}-kernel`));
    }
  });
  afterAll(() => project?.remove());

  /** Results are compared as -v prints them. */
  const bothFor = async (args: string[]) => {
    const [ansible, fleet] = await Promise.all(TOOLS.map((tool) => project.runAsync(tool, [...args, '-v', '-e', `tool=${tool}`])));
    return { ansible: ansible as ToolRun, fleet: fleet as ToolRun };
  };

  it('edits sysctl files as ansible-playbook does: check mode first, then for real, then nothing left to change', { timeout: 90_000 }, async ({ expect }) => {
    const seeded = fileListing(join(project.dir, 'ansible'));
    const checked = await bothFor(['files.yml', '--check', '--diff', '--tags', 'check']);
    expect(checked.ansible.status, checked.ansible.stdout + checked.ansible.stderr).toBe(0);
    expect(normalized(checked.fleet, 'fleet')).toBe(normalized(checked.ansible, 'ansible'));
    for (const tool of TOOLS) expect(fileListing(join(project.dir, tool))).toEqual(seeded);
    expect(checked.ansible.stdout).toMatch(/ok=5 +changed=4 /);
    expect(checked.ansible.stdout).not.toContain('@@');

    const first = await bothFor(['files.yml']);
    expect(first.ansible.status, first.ansible.stdout + first.ansible.stderr).toBe(0);
    expect(normalized(first.fleet, 'fleet')).toBe(normalized(first.ansible, 'ansible'));
    expect(fileListing(join(project.dir, 'fleet'))).toEqual(fileListing(join(project.dir, 'ansible')));
    expect(first.ansible.stdout).toMatch(/ok=8 +changed=7 /);
    expect(readFileSync(join(project.dir, 'fleet', 'main.conf'), 'utf8')).toBe('# kernel settings\n; old comment\nkernel.foo=4\n\nno equals here\nspaced.key=a   b\nvm.dup=5\nnew.flag=1\nvm.int=5\n');

    const again = await bothFor(['files.yml']);
    expect(normalized(again.fleet, 'fleet')).toBe(normalized(again.ansible, 'ansible'));
    expect(again.ansible.stdout).toMatch(/ok=8 +changed=0 /);
  });

  it('sets kernel keys, reloads the file and reports sysctl failures as ansible-playbook does', { timeout: 90_000 }, async ({ expect }) => {
    const [ansible, fleet] = (await Promise.all(TOOLS.map((tool) => project.runAsync(tool, ['kernel.yml', '-v', '-e', `tool=${tool}`], {}, OWN_NAMESPACES)))) as [ToolRun, ToolRun];
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(normalized(fleet, 'fleet-kernel')).toBe(normalized(ansible, 'ansible-kernel'));
    expect(fileListing(join(project.dir, 'fleet-kernel'))).toEqual(fileListing(join(project.dir, 'ansible-kernel')));
    expect(ansible.stdout).toContain('"msg": "fleet.example"');
    expect(ansible.stdout).toContain('setting net.ipv4.ping_group_range failed: sysctl: setting key \\"net.ipv4.ping_group_range\\": Invalid argument');
    expect(ansible.stdout).toContain('Failed to reload sysctl: sysctl: cannot stat /proc/sys/nosuch/fleet_key');
  });
});
