/**
 * authorized_key (ansible.posix, which ansible-core 2.14 routes the short name to) and
 * known_hosts: the modules a playbook that manages SSH access is made of. fleet refused such a
 * playbook at load (unknown module). Each tool runs one playbook on its own copy of the same
 * files (under `base`, never ~/.ssh): the same output, registered results, file bytes and modes;
 * a second run changes nothing; --check leaves the files alone.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject } from './local_project.js';
import { hasAnsible, recap } from './support.js';

const ALICE = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEsnYnKb35TGoqDO3dPX0aimOS9EaNYmCKz8RAFoDz7f';
const BOB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKwqVRojWLqkIW2gFSkgRrBvdH4xfzgahrxeQIrwESDj';
const RSA =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC71IckXpDkHPF5WVUsUzMZIa3QhxJcoSjZKv1ZIthWEKXXa4jpY/JeWJSQeVlKZ3Niov8AM8Wx+2LOvjVfq4zJ0QFBqz/z97fjrdn4yTQcF032Hs93uGCwh7AoDey87y0gOevElhBilxs0n28PCFLQGl9uoEvbv0N7UaePXz+/Lw==';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: a new key file, its directory made 0700
      authorized_key:
        user: "{{ user }}"
        path: "{{ base }}/home/.ssh/authorized_keys"
        key: "${ALICE} alice@laptop"
      register: created
    - name: several keys with options into a file with other lines
      ansible.posix.authorized_key:
        user: "{{ user }}"
        path: "{{ base }}/existing"
        manage_dir: false
        key: |
          ${ALICE} alice@laptop
          # not a key
          ${RSA} deploy
        key_options: 'from="10.0.0.1",no-agent-forwarding'
      register: merged
    - name: a key removed
      authorized_key:
        user: "{{ user }}"
        path: "{{ base }}/removing"
        manage_dir: false
        state: absent
        key: "${BOB}"
      register: removed
    - name: exclusive
      authorized_key:
        user: "{{ user }}"
        path: "{{ base }}/exclusive"
        manage_dir: false
        exclusive: true
        comment: ops
        key: "${ALICE} alice@laptop"
      register: exclusive
    - name: a host added
      known_hosts:
        name: git.example.org
        path: "{{ base }}/known_hosts"
        key: "git.example.org ${ALICE}"
      register: added
    - name: a host's changed key replaced
      known_hosts:
        name: Build.Example.org
        path: "{{ base }}/known_hosts"
        key: "build.example.org ${ALICE}"
      register: replaced
    - name: a hashed entry
      known_hosts:
        name: secret.example.org
        path: "{{ base }}/known_hosts"
        key: "secret.example.org ${RSA}"
        hash_host: true
      diff: false
      register: hashed
    - name: a whole host removed
      known_hosts:
        name: old.example.org
        path: "{{ base }}/known_hosts"
        state: absent
      register: forgotten
    - name: a key for another name
      known_hosts:
        name: other.example.org
        path: "{{ base }}/known_hosts"
        key: "git.example.org ${ALICE}"
      ignore_errors: true
    - debug: var=created
    - debug: var=merged
    - debug: var=removed
    - debug: var=exclusive
    - debug: var=added
    - debug: var=replaced
    - debug: var=forgotten
    - debug:
        msg: "{{ hashed | dict2items | rejectattr('key', 'equalto', 'diff') | sort(attribute='key') }}"
`;

/** The files each tool starts from. */
function seed(base: string): void {
  rmSync(base, { recursive: true, force: true });
  mkdirSync(join(base, 'home'), { recursive: true });
  const file = (name: string, text: string, mode: number) => {
    writeFileSync(join(base, name), text);
    chmodSync(join(base, name), mode);
  };
  file('existing', `# team keys\n\n${BOB}   bob@desk  old\nno-pty ${ALICE} alice@old\n\n`, 0o644);
  file('removing', `${ALICE} alice\n${BOB} bob\n`, 0o600);
  file('exclusive', `# only alice\n${BOB} bob\n${ALICE} alice@laptop\n`, 0o600);
  file('known_hosts', `old.example.org ${BOB}\nbuild.example.org ${BOB}\nold.example.org ${RSA}\n`, 0o640);
}

/** Every file and directory under base: mode and bytes (hashed known_hosts lines set apart). */
function tree(base: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      const mode = (stat.mode & 0o7777).toString(8);
      if (stat.isDirectory()) {
        out[relative(base, path)] = `dir ${mode}`;
        walk(path);
      } else {
        // A hashed host has a random salt: such lines are checked with ssh-keygen -F instead.
        const text = readFileSync(path, 'utf8').replace(/^\|1\|\S+ /gm, '|1|HASHED ');
        out[relative(base, path)] = `file ${mode}\n${text}`;
      }
    }
  };
  walk(base);
  return out;
}

let project: LocalProject;
const base = (tool: 'ansible' | 'fleet') => join(project.dir, tool);
const run = (tool: 'ansible' | 'fleet', extra: string[]) => {
  const result = project.run(tool, ['site.yml', '-e', `base=${base(tool)}`, '-e', `user=${userInfo().username}`, ...extra]);
  expect(result.status, result.stdout + result.stderr).toBe(0);
  // A hashed host's salt is random; the hashed entry itself is checked with ssh-keygen -F.
  return fromFirstPlay(result.stdout).split(base(tool)).join('BASE').replace(/\|1\|\S+ /g, '|1|HASHED ');
};

describe.skipIf(!hasAnsible())('authorized_key and known_hosts as ansible-playbook runs them', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK });
  });
  afterAll(() => project.remove());

  it('check mode: the same report, nothing written', () => {
    seed(base('ansible'));
    seed(base('fleet'));
    const before = tree(base('fleet'));
    const fleet = run('fleet', ['--check', '--diff']);
    expect(fleet).toBe(run('ansible', ['--check', '--diff']));
    expect(tree(base('fleet'))).toEqual(before);
    expect(tree(base('ansible'))).toEqual(before);
  });

  it('the same output, results, files and modes; then a second run changes nothing', () => {
    seed(base('ansible'));
    seed(base('fleet'));
    const fleet = run('fleet', ['--diff']);
    expect(fleet).toBe(run('ansible', ['--diff']));
    expect(recap(fleet).get('testhost')).toMatchObject({ changed: 8, failed: 0, ignored: 1 });
    expect(tree(base('fleet'))).toEqual(tree(base('ansible')));
    expect(existsSync(join(base('fleet'), 'known_hosts.old'))).toBe(true);
    const found = execFileSync('ssh-keygen', ['-F', 'secret.example.org', '-f', join(base('fleet'), 'known_hosts')], { encoding: 'utf8' });
    expect(found).toContain(RSA);

    const settled = tree(base('fleet'));
    const again = run('fleet', ['--diff']);
    expect(recap(again).get('testhost')).toMatchObject({ changed: 0, failed: 0, ignored: 1 });
    expect(again).not.toContain('changed: [testhost]');
    expect(tree(base('fleet'))).toEqual(settled);
  });
});
