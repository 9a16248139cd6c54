/**
 * stdout_callback = minimal and oneline (ansible.cfg or ANSIBLE_STDOUT_CALLBACK), compared with
 * ansible-playbook 2.14 (stdout and stderr each exactly, the command's timestamps aside): no
 * banners, items, handlers' banners or recap, one `host | STATE` entry per task — minimal's results
 * dumped with indent 4 and command output as `rc=N >>` then its text, a debug result cleaned,
 * warnings shown and diffs printed; oneline's results as one line of JSON and command output
 * with its line breaks escaped. Any other callback is still named in the settings warning.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: testhost
  gather_facts: false
  tasks:
    - name: debug
      debug: msg="multi\\nline"
    - name: command
      command: printf 'a\\nb'
      changed_when: false
    - name: shell failing
      shell: echo out; echo err >&2; exit 2
      ignore_errors: true
    - name: loop
      debug: msg={{ item }}
      loop: [1, 2]
    - name: skipped
      debug: msg=x
      when: false
    - name: fact
      set_fact: {a: {b: [1, "two"]}}
    - name: failing
      fail: msg=boom
      ignore_errors: true
    - name: secret
      debug: msg=hidden
      no_log: true
    - name: changed
      debug: msg=changed
      changed_when: true
      notify: handler
    - name: fresh file
      shell: rm -f f.txt && echo x > f.txt && chmod 644 f.txt
      args: {chdir: "{{ playbook_dir }}"}
      changed_when: false
    - name: file diff
      file: path={{ playbook_dir }}/f.txt mode=0600
      diff: true
  handlers:
    - name: handler
      debug: msg=handled
`;

const untimed = (text: string): string => text.replace(/(delta|start|end)("?: ["']?)[0-9][0-9:. -]*/g, '$1$2X');

const CALLBACKS: { name: string; cfg: string; env: NodeJS.ProcessEnv; shows: string[] }[] = [
  { name: 'minimal', cfg: 'stdout_callback = minimal', env: {}, shows: ['testhost | SUCCESS | rc=0 >>\na\nb\n', 'testhost | FAILED | rc=2 >>\nouterrnon-zero return code\n', "-    \"mode\": \"0644\","] },
  { name: 'oneline, from the environment', cfg: '', env: { ANSIBLE_STDOUT_CALLBACK: 'ansible.builtin.oneline' }, shows: ['testhost | SUCCESS | rc=0 | (stdout) a\\nb\n', 'testhost | FAILED! => {"changed": true,"cmd":'] },
];

let project: LocalProject;

describe.skipIf(!hasAnsible())('stdout_callback minimal and oneline, as ansible-playbook prints them', () => {
  beforeAll(() => {
    project = localProject({ 'play.yml': PLAYBOOK });
  });

  afterAll(() => project.remove());

  it.each(CALLBACKS)('$name', ({ cfg, env, shows }) => {
    writeFileSync(join(project.dir, 'ansible.cfg'), `[defaults]\n${cfg}\n`);
    const { ansible, fleet } = project.both(['play.yml'], 0, env);
    expect(untimed(fleet.stdout)).toBe(untimed(ansible.stdout));
    expect(fleet.stderr).toBe(ansible.stderr);
    for (const text of shows) expect(ansible.stdout).toContain(text);
  }, 60_000);

  it('still names another stdout callback in the settings warning and prints the default one', () => {
    writeFileSync(join(project.dir, 'ansible.cfg'), '[defaults]\nstdout_callback = json\n');
    const fleet = project.run('fleet', ['play.yml']);
    expect(fleet.status).toBe(0);
    // Display.warning wraps the line.
    expect(fleet.stderr.replace(/\s+/g, ' ')).toContain('fleet does not support these settings and ignores them: [defaults]stdout_callback in ');
    expect(fleet.stdout).toContain('PLAY RECAP');
  });
});
