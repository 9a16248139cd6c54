import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetProgram } from '../support/fleet_cli.js';
import { fromFirstPlay, localProject, type LocalProject } from './local_project.js';
import { runTool, startLoopbackHttp, type LoopbackHttp } from './loopback_http.js';

/**
 * One loop of requests covering uri's answers (2xx, HTTP errors, redirects followed or not,
 * basic auth, JSON and form bodies, cookies, HEAD, creates/removes, a refused connection),
 * then a download into a directory; every registered result is printed, so the two tools'
 * outputs are compared whole.
 */
const PLAYBOOK = `- hosts: testhost
  gather_facts: false
  tasks:
    - name: requests
      uri:
        url: "{{ item.url | default(base ~ item.path) }}"
        method: "{{ item.method | default('GET') }}"
        body: "{{ item.body | default(omit) }}"
        body_format: "{{ item.format | default('raw') }}"
        headers: "{{ item.headers | default({}) }}"
        status_code: "{{ item.codes | default([200]) }}"
        return_content: "{{ item.content | default(false) }}"
        follow_redirects: "{{ item.follow | default('safe') }}"
        url_username: "{{ item.user | default(omit) }}"
        url_password: "{{ item.password | default(omit) }}"
        force_basic_auth: "{{ item.force | default(false) }}"
        creates: "{{ item.creates | default(omit) }}"
        removes: "{{ item.removes | default(omit) }}"
      loop:
        - { path: /json }
        - { path: /text, content: true }
        - { path: /missing }
        - { path: /redirect }
        - { path: /redirect, follow: none, codes: [302] }
        - { path: /redirect, method: POST, body: "x=1" }
        - { path: /redirect, method: POST, body: "x=1", follow: all }
        - { path: /moved, follow: none, codes: [301] }
        - { path: /auth, user: fleet, password: s3cret, force: true, content: true }
        - { path: /auth, user: fleet, password: s3cret }
        - { path: /auth }
        - { path: /echo, method: POST, format: json, body: { a: 1, b: [x] }, headers: { X-Token: abc } }
        - { path: /echo, method: PUT, format: form-urlencoded, body: { a: 1, b: "x y" } }
        - { path: /cookie }
        - { path: /chunked, content: true }
        - { path: /gone, codes: [200, 410] }
        - { path: /gone, content: true }
        - { path: /missing, codes: [404] }
        - { path: /text, method: HEAD }
        - { path: /text, method: get }
        - { path: /text, method: "GE T" }
        - { path: /text, creates: "{{ playbook_dir }}" }
        - { path: /text, removes: "{{ playbook_dir }}/absent" }
        - { url: "{{ closed }}/nothing" }
      register: requests
      ignore_errors: true
    - debug: { var: requests.results }
    - uri: { url: "{{ base }}/file.txt", dest: "{{ playbook_dir }}/{{ tool }}/", mode: "0600" }
      register: saved
    - uri: { url: "{{ base }}/missing", dest: "{{ playbook_dir }}/{{ tool }}/missing.txt" }
      ignore_errors: true
    - debug: { var: saved }
`;

/** An option Ansible's uri takes and fleet does not implement; its default value is accepted. */
const UPLOADS = `- hosts: testhost
  gather_facts: false
  tasks:
    - uri:
        url: http://example.invalid/
        remote_src: false
        src: /etc/hosts
`;

describe('uri against a loopback HTTP server', () => {
  let http: LoopbackHttp;
  let project: LocalProject;
  beforeAll(async () => {
    http = await startLoopbackHttp();
    project = localProject({ 'play.yml': PLAYBOOK, 'uploads.yml': UPLOADS });
    for (const tool of ['ansible', 'fleet']) mkdirSync(join(project.dir, tool));
  });
  afterAll(() => {
    http?.stop();
    project?.remove();
  });

  it('prints what ansible-playbook prints, and writes the same file', async () => {
    const args = (tool: string) => ['-i', 'inventory', 'play.yml', '-e', `base=${http.base}`, '-e', `closed=${http.closed}`, '-e', `tool=${tool}`];
    // At the same time (each writes into its own directory): ansible-playbook alone takes most of the time.
    const [ansible, fleet] = await Promise.all([
      runTool('ansible-playbook', args('ansible'), project.dir),
      runTool(...fleetProgram(['apply', ...args('fleet')]), project.dir),
    ]);
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(fleet.status, fleet.stdout + fleet.stderr).toBe(0);
    const normalized = (output: string, tool: string) => fromFirstPlay(output).replaceAll(`/${tool}/`, '/TOOL/');
    expect(normalized(fleet.stdout, 'fleet')).toBe(normalized(ansible.stdout, 'ansible'));
    for (const tool of ['ansible', 'fleet']) {
      const saved = join(project.dir, tool, 'file.txt');
      expect(readFileSync(saved, 'utf8')).toBe('hello file\n');
      expect(statSync(saved).mode & 0o777).toBe(0o600);
    }
  }, 90_000);

  it('refuses an option it does not implement when the playbook loads, pointing at it', () => {
    const fleet = project.run('fleet', ['uploads.yml']);
    expect(fleet.status).toBe(4);
    const output = fleet.stdout + fleet.stderr;
    expect(output).toContain("ERROR! fleet's uri module does not implement the 'src' option yet");
    expect(output).toContain("line 7, column 9");
    expect(output).not.toContain('TASK [');
  });
});
