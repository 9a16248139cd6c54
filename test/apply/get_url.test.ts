import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetProgram } from '../support/fleet_cli.js';
import { fromFirstPlay, localProject, type LocalProject } from './local_project.js';
import { runTool, startLoopbackHttp, type LoopbackHttp } from './loopback_http.js';

/**
 * get_url's cases in one playbook, run three times by each tool into its own directory: a
 * fresh download with a mode, a checksum that matches (no download the second time), one
 * read from a checksum file at a URL, a redirect into a directory dest, a checksum that does not match, a 404, a refused
 * connection, force with backup; then again (nothing changes), then in check mode.
 */
const PLAYBOOK = `- hosts: testhost
  gather_facts: false
  vars:
    d: "{{ playbook_dir }}/{{ tool }}"
  tasks:
    - get_url: { url: "{{ base }}/file.txt", dest: "{{ d }}/file.txt", mode: "0640" }
      register: fresh
    - get_url:
        url: "{{ base }}/file.txt"
        dest: "{{ d }}/"
        checksum: "sha256:702b7d2e4b28c4f3ef1434bd2333a83427796a9007fb2a23248becd4d51a3e7f"
      register: matching
    - get_url: { url: "{{ base }}/file.txt", dest: "{{ d }}/listed.txt", checksum: "sha256:{{ base }}/file.txt.sha256" }
      register: listed
    # Check mode makes a HEAD request, which urllib turns into a GET on a redirect and curl keeps.
    - get_url: { url: "{{ base }}/redirect", dest: "{{ d }}/" }
      check_mode: false
      register: redirected
    - get_url: { url: "{{ base }}/text", dest: "{{ d }}/bad.txt", checksum: "sha256:0000" }
      register: mismatch
      ignore_errors: true
    - get_url: { url: "{{ base }}/missing", dest: "{{ d }}/missing.txt" }
      register: missing
      ignore_errors: true
    - get_url: { url: "{{ closed }}/x", dest: "{{ d }}/x.txt" }
      register: refused
      ignore_errors: true
    - get_url: { url: "{{ base }}/text", dest: "{{ d }}/forced.txt", force: true, backup: true }
      register: forced
    - debug: { msg: "{{ [fresh, matching, listed, redirected, mismatch, missing, refused, forced] }}" }
`;

/** What differs by tool or by run: each tool's directory, the temp file's path, a backup's time. */
function normalized(output: string, tool: string): string {
  return fromFirstPlay(output)
    .replaceAll(`/${tool}/`, '/TOOL/')
    .replace(/"src": "[^"]*"/g, '"src": "SRC"');
}

describe('get_url against a loopback HTTP server', () => {
  let http: LoopbackHttp;
  let project: LocalProject;
  beforeAll(async () => {
    http = await startLoopbackHttp();
    project = localProject({ 'play.yml': PLAYBOOK });
    for (const tool of ['ansible', 'fleet']) mkdirSync(join(project.dir, tool));
  });
  afterAll(() => {
    http?.stop();
    project?.remove();
  });

  const runBoth = async (more: string[] = []) => {
    const args = (tool: string) => ['-i', 'inventory', 'play.yml', '-e', `base=${http.base}`, '-e', `closed=${http.closed}`, '-e', `tool=${tool}`, ...more];
    const [ansible, fleet] = await Promise.all([runTool('ansible-playbook', args('ansible'), project.dir), runTool(...fleetProgram(['apply', ...args('fleet')]), project.dir)]);
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(fleet.status, fleet.stdout + fleet.stderr).toBe(0);
    expect(normalized(fleet.stdout, 'fleet')).toBe(normalized(ansible.stdout, 'ansible'));
    return ansible.stdout;
  };

  it('downloads, then changes nothing, then checks, as ansible-playbook does', async () => {
    expect(await runBoth()).toMatch(/changed=5 /);
    for (const tool of ['ansible', 'fleet']) {
      const dir = join(project.dir, tool);
      expect(readdirSync(dir).sort()).toEqual(['file.txt', 'forced.txt', 'json', 'listed.txt']);
      expect(readFileSync(join(dir, 'file.txt'), 'utf8')).toBe('hello file\n');
      expect(statSync(join(dir, 'file.txt')).mode & 0o777).toBe(0o640);
    }
    // Only the failing checksum task reports a change (the module moved the file in first).
    expect(await runBoth()).toMatch(/changed=1 /);
    await runBoth(['--check']);
  }, 120_000);
});
