import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject } from './local_project.js';
import { treeListing } from './tree_listing.js';

/**
 * unarchive's cases in one playbook, each tool extracting into its own directory: a tar.gz
 * (files, a subdirectory, a symlink, modes) with list_files, the same again (nothing changes),
 * a changed file (extracted again), creates, exclude, a dest that is missing, check mode,
 * remote_src (the tree matches: unchanged), mode and owner (twice: the second changes nothing),
 * extra_opts, and a bzip2 tar with include (TarArchive: GNU tar reads the compression itself
 * before -j is tried); a tar of `.` (entries `./…`, so dest itself gets the mode and group), then
 * keep_newer over a file made newer (tar's messages, in Ansible's parsable locale, are in the
 * result). One run of each tool, at the same time: ansible-playbook takes ~12 s here.
 */
const PLAYBOOK = `- hosts: testhost
  gather_facts: false
  vars:
    d: "{{ playbook_dir }}/{{ tool }}"
  tasks:
    - unarchive: { src: release.tar.gz, dest: "{{ d }}/out", list_files: true }
      register: first
    - unarchive: { src: release.tar.gz, dest: "{{ d }}/out" }
      register: again
    - shell: "echo changed > {{ d }}/out/top/a.txt"
    - unarchive: { src: release.tar.gz, dest: "{{ d }}/out" }
      register: drift
    - unarchive: { src: release.tar.gz, dest: "{{ d }}/out", creates: "{{ d }}/out/top/a.txt" }
      register: created
    - unarchive: { src: release.tar.gz, dest: "{{ d }}/ex", exclude: ["top/sub/"], list_files: true }
      register: excluded
    - unarchive: { src: release.tar.gz, dest: "{{ d }}/missing" }
      register: missing
      ignore_errors: true
    - unarchive: { src: release.tar.gz, dest: "{{ d }}/out" }
      check_mode: true
      register: checked
    - unarchive: { src: "{{ playbook_dir }}/files/release.tar.gz", dest: "{{ d }}/out", remote_src: true }
      register: remote
    - unarchive: { src: release.tar.gz, dest: "{{ d }}/moded", mode: "u=rwX,g=rX,o=", owner: root }
      register: moded
    - unarchive: { src: release.tar.gz, dest: "{{ d }}/moded", mode: "u=rwX,g=rX,o=", owner: root }
      register: moded_again
    - unarchive: { src: release.tar.gz, dest: "{{ d }}/strip", extra_opts: [--strip-components=1], list_files: true }
      register: strip
    - unarchive: { src: release.tar.bz2, dest: "{{ d }}/bz", include: [top/a.txt] }
      register: bz
    - unarchive: { src: dot.tar, dest: "{{ d }}/dot", mode: "0700", group: root, list_files: true }
      register: dot
    - shell: "echo newer > {{ d }}/dot/a.txt && touch -t 203001010000 {{ d }}/dot/a.txt"
    - unarchive: { src: dot.tar, dest: "{{ d }}/dot", keep_newer: true }
      register: newer
    - debug: { msg: "{{ [first, again, drift, created, excluded, missing, checked, remote, moded, moded_again, strip, bz, dot, newer] }}" }
`;

/** What fleet refuses where Ansible would download (docs/DIFFERENCES.md). Zip archives: unarchive-zip.test.ts. */
const REFUSED = `- hosts: testhost
  gather_facts: false
  tasks:
    - unarchive: { src: "http://localhost:9/release.tar.gz", dest: "{{ playbook_dir }}/fleet/out", remote_src: true }
      ignore_errors: true
`;

const DESTS = ['out', 'ex', 'moded', 'strip', 'bz', 'dot'];

/** What differs by tool or by run: each tool's directory, the uploaded archive's temp path, the shell task's times. */
function normalized(output: string, tool: string): string {
  return fromFirstPlay(output)
    .replaceAll(`/${tool}/`, '/TOOL/')
    .replace(/"src": "[^"]*"/g, '"src": "SRC"')
    .replace(/\/root\/\.ansible\/tmp\/[^"]*|\/tmp\/fleet-unarchive[^"]*/g, 'UPLOADED')
    .replace(/"(delta|end|start)": "[^"]*"/g, '"$1": "TIME"');
}

describe('unarchive on a local connection', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'play.yml': PLAYBOOK, 'refused.yml': REFUSED });
    const source = join(project.dir, 'source');
    mkdirSync(join(source, 'top/sub'), { recursive: true });
    mkdirSync(join(source, 'top/bin'));
    writeFileSync(join(source, 'top/a.txt'), 'a\n');
    writeFileSync(join(source, 'top/bin/run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(source, 'top/sub/s.txt'), 's\n', { mode: 0o600 });
    chmodSync(join(source, 'top/sub'), 0o750);
    symlinkSync('a.txt', join(source, 'top/link'));
    mkdirSync(join(project.dir, 'files'));
    // Members dated well before the run: `tar --diff` compares whole seconds (the archive keeps
    // no more), so a file rewritten in the second the archive was made would not count as drift.
    const past = '--mtime=2020-01-01 00:00:00';
    for (const [name, flag] of [['release.tar.gz', '-czf'], ['release.tar.bz2', '-cjf']]) {
      expect(spawnSync('tar', [past, flag, join(project.dir, 'files', name as string), '-C', source, 'top']).status).toBe(0);
    }
    expect(spawnSync('tar', [past, '-cf', join(project.dir, 'files', 'dot.tar'), '-C', join(source, 'top'), '.']).status).toBe(0);
    for (const tool of ['ansible', 'fleet']) for (const dest of DESTS) mkdirSync(join(project.dir, tool, dest), { recursive: true });
  });
  afterAll(() => project?.remove());

  it('extracts, skips, refuses and reports as ansible-playbook does; unchanged when the tree already matches', { timeout: 120_000 }, async () => {
    const args = (tool: string) => ['play.yml', '-v', '-e', `tool=${tool}`];
    const [ansible, fleet] = await Promise.all([project.runAsync('ansible', args('ansible')), project.runAsync('fleet', args('fleet'))]);
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(fleet.status, fleet.stdout + fleet.stderr).toBe(0);
    expect(normalized(fleet.stdout, 'fleet')).toBe(normalized(ansible.stdout, 'ansible'));
    expect(treeListing(join(project.dir, 'fleet'))).toEqual(treeListing(join(project.dir, 'ansible')));
    expect(ansible.stdout).toContain('"handler": "TarArchive"');
    // first, the shell's drift and its re-extraction, excluded, moded, strip, bz, dot, its shell, newer; again, remote and moded_again are ok.
    expect(ansible.stdout).toMatch(/ok=15 +changed=10 .*skipped=2 .*ignored=1/);
    expect(ansible.stdout).toContain('is newer or same age');
  });

  it('refuses a URL src with a message saying so', () => {
    const fleet = project.run('fleet', ['refused.yml']);
    expect(fleet.status, fleet.stderr).toBe(0);
    expect(fleet.stdout).toContain("fleet does not download archives: src 'http://localhost:9/release.tar.gz' is a URL");
    expect(fleet.stdout).toMatch(/ignored=1/);
  });
});
