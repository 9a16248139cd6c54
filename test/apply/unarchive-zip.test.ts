import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject } from './local_project.js';
import { treeListing } from './tree_listing.js';

/**
 * unarchive's ZipArchive handler against ansible-playbook's. The zip (built with Python's
 * zipfile) holds a directory member, a 0644 file, a 0755 file, a nested file with no
 * directory members above it, a symlink and a member with FAT (MS-DOS) attributes.
 * One playbook, run with --diff: list_files, a drift (same size, other content; a mode)
 * extracted again, exclude, include (a name twice), mode/owner/group and the same again
 * (ok: nothing differs), check_mode over a drifted tree, keep_newer (the newer file excluded
 * from unzip and from `files`), and a text file no handler reads (the reasons of every
 * handler, in no fixed order). Then a second run under --check: the trees already extracted
 * are ok, and a fresh dest would be extracted but stays empty.
 */
const PLAYBOOK = `- hosts: testhost
  gather_facts: false
  vars:
    d: "{{ playbook_dir }}/{{ tool }}"
  tasks:
    - unarchive: { src: release.zip, dest: "{{ d }}/out", list_files: true }
      register: first
    - shell: "echo b > {{ d }}/out/top/a.txt && touch -t 202405060708.10 {{ d }}/out/top/a.txt && chmod 700 {{ d }}/out/top/bin/run.sh"
    - unarchive: { src: release.zip, dest: "{{ d }}/out" }
      register: drift
    - unarchive: { src: release.zip, dest: "{{ d }}/ex", exclude: ["top/sub/*", "top/link"], list_files: true }
      register: excluded
    - unarchive: { src: release.zip, dest: "{{ d }}/inc", include: ["top/a.txt", "top/*"], list_files: true }
      register: included
    - unarchive: { src: release.zip, dest: "{{ d }}/moded", mode: "u=rwX,g=rX,o=", owner: root, group: root, list_files: true }
      register: moded
    - unarchive: { src: release.zip, dest: "{{ d }}/moded", mode: "u=rwX,g=rX,o=", owner: root, group: root }
      register: moded_again
    - unarchive: { src: release.zip, dest: "{{ d }}/newer" }
    - shell: "echo newer > {{ d }}/newer/top/a.txt && touch -t 203001010000 {{ d }}/newer/top/a.txt && rm {{ d }}/newer/top/bin/run.sh"
    - unarchive: { src: release.zip, dest: "{{ d }}/newer", list_files: true }
      check_mode: true
      register: checked
    - unarchive: { src: release.zip, dest: "{{ d }}/newer", keep_newer: true, list_files: true }
      register: kept
    - unarchive: { src: "{{ playbook_dir }}/files/notes.txt", dest: "{{ d }}/out", remote_src: true }
      register: nohandler
      ignore_errors: true
    - debug: { msg: "{{ [first, drift, excluded, included, moded, moded_again, checked, kept, nohandler] }}" }
`;

const AGAIN = `- hosts: testhost
  gather_facts: false
  vars:
    d: "{{ playbook_dir }}/{{ tool }}"
  tasks:
    - unarchive: { src: release.zip, dest: "{{ d }}/out" }
    - unarchive: { src: release.zip, dest: "{{ d }}/ex", exclude: ["top/sub/*", "top/link"] }
    - unarchive: { src: release.zip, dest: "{{ d }}/moded", mode: "u=rwX,g=rX,o=", owner: root, group: root }
    - unarchive: { src: release.zip, dest: "{{ d }}/fresh", list_files: true }
`;

const DESTS = ['out', 'ex', 'inc', 'moded', 'newer', 'fresh'];

/** The zip, by Python's zipfile: fixed times and Unix modes, one member with MS-DOS attributes. */
const MAKE_ZIP = `import sys, zipfile
def member(name, mode, system=3):
    info = zipfile.ZipInfo(name, (2024, 5, 6, 7, 8, 10))
    info.create_system = system
    info.external_attr = mode << 16 if system == 3 else mode
    return info
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr(member('top/', 0o40755), b'')
    z.writestr(member('top/a.txt', 0o100644), b'a\\n')
    z.writestr(member('top/bin/run.sh', 0o100755), b'#!/bin/sh\\n')
    z.writestr(member('top/sub/deep/s.txt', 0o100600), b'deep\\n' * 50)
    z.writestr(member('top/link', 0o120777), b'a.txt')
    z.writestr(member('top/dos.txt', 0x20, 0), b'dos\\r\\n')
`;

/** Each tool's directory and upload path; the shell tasks' times; the no-handler reasons, sorted (Ansible joins a set). */
function normalized(output: string, tool: string): string {
  return fromFirstPlay(output)
    .replaceAll(`/${tool}/`, '/TOOL/')
    .replace(/\/root\/\.ansible\/tmp\/[^"\\\s]*|\/tmp\/fleet-unarchive[^"\\\s]*/g, 'UPLOADED')
    .replace(/"(delta|end|start)": "[^"]*"/g, '"$1": "TIME"')
    .replace(/(is installed\.\\n)((?:[^"\\]|\\.)*)"/g, (_all, head: string, reasons: string) => `${head}${reasons.split('\\n').sort().join('\\n')}"`);
}

describe('unarchive of a zip archive on a local connection', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'play.yml': PLAYBOOK, 'again.yml': AGAIN, 'files/notes.txt': 'not an archive\n' });
    const made = spawnSync('python3', ['-c', MAKE_ZIP, join(project.dir, 'files/release.zip')], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    for (const tool of ['ansible', 'fleet']) for (const dest of DESTS) mkdirSync(join(project.dir, tool, dest), { recursive: true });
  });
  afterAll(() => project?.remove());

  const bothAtOnce = async (args: (tool: string) => string[], status: number) => {
    const [ansible, fleet] = await Promise.all([project.runAsync('ansible', args('ansible')), project.runAsync('fleet', args('fleet'))]);
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(status);
    expect(fleet.status, fleet.stdout + fleet.stderr).toBe(status);
    expect(normalized(fleet.stdout, 'fleet')).toBe(normalized(ansible.stdout, 'ansible'));
    expect(treeListing(join(project.dir, 'fleet'), true)).toEqual(treeListing(join(project.dir, 'ansible'), true));
    return ansible;
  };

  it('extracts, compares, itemizes and fails as ansible-playbook does', { timeout: 120_000 }, async () => {
    const ansible = await bothAtOnce((tool) => ['play.yml', '-v', '--diff', '-e', `tool=${tool}`], 0);
    expect(ansible.stdout).toContain('"handler": "ZipArchive"');
    expect(ansible.stdout).toContain('.fc......?? top/a.txt');
    // first, drift and its shell, excluded, included, moded, newer and its shell, checked, kept; moded_again is ok.
    expect(ansible.stdout).toMatch(/ok=13 +changed=10 .*ignored=1/);
  });

  it('finds nothing to change on a second run under --check, and extracts nothing', { timeout: 60_000 }, async () => {
    const checked = await bothAtOnce((tool) => ['again.yml', '--check', '--diff', '-e', `tool=${tool}`], 0);
    expect(checked.stdout).toMatch(/ok=4 +changed=1 /);
    expect(checked.stdout).toContain('>f++++++.?? top/a.txt');
    expect(readdirSync(join(project.dir, 'fleet', 'fresh'))).toEqual([]);
  });
});
