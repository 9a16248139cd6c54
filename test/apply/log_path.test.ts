/**
 * ansible.cfg's log_path (ANSIBLE_LOG_PATH) compared with ansible-playbook 2.14: the same
 * records in the log file — one per message Display shows, its leading newlines dropped,
 * uncoloured (the recap's log-only line) even when the screen is coloured, without the
 * screen-only lines (NOTIFIED HANDLER, the blank line after the recap), warnings and failures
 * included, no_log results masked as on screen — with only each record's time and pid
 * differing; a relative path in ansible.cfg is relative to its directory; a log that cannot
 * be written is warned about and the run goes on; a load error is recorded.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: testhost
  gather_facts: false
  tasks:
    - debug: msg=hi
    - name: changed, notifying
      command: echo changed
      notify: the handler
    - name: a loop with a skipped item
      debug: msg={{ item }}
      loop: [1, 2]
      when: item == 1
    - name: secret
      debug: msg="the password is hunter2"
      no_log: true
    - name: a warning
      debug: msg=warned
      when: "{{ true }}"
    - name: a failure
      fail: msg=boom
      ignore_errors: true
  handlers:
    - name: the handler
      debug: msg=handled
`;

/** Each record's time and pid, and the command's timings, differ from run to run. */
const normalised = (log: string): string =>
  log
    .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} p=\d+ /gm, 'TIME p=PID ')
    .replace(/"(delta|end|start)": "[^"]*"/g, '"$1": "X"');

describe.skipIf(!hasAnsible())('log_path', () => {
  let project: LocalProject | undefined;
  afterAll(() => project?.remove());

  it('records what ansible-playbook records, from ansible.cfg relative to its directory, coloured screen or not', () => {
    project = localProject({ 'site.yml': PLAYBOOK, 'ansible.cfg': '[defaults]\nlog_path = logs/run.log\n' });
    mkdirSync(join(project.dir, 'logs'));
    const log = join(project.dir, 'logs', 'run.log');
    const env = { ANSIBLE_FORCE_COLOR: '1', ANSIBLE_NOCOLOR: '' };
    const ansible = project.run('ansible', ['-vv', 'site.yml'], env);
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    renameSync(log, join(project.dir, 'ansible.log'));
    const fleet = project.run('fleet', ['-vv', 'site.yml'], env);
    expect(fleet.status, fleet.stdout + fleet.stderr).toBe(0);
    expect(fleet.stdout).toContain('\x1b[');
    const expected = readFileSync(join(project.dir, 'ansible.log'), 'utf8');
    const recorded = readFileSync(log, 'utf8');
    // -vv's version record names each tool's own.
    const fromFirstPlay = (text: string) => text.slice(text.indexOf('PLAY ['));
    expect(normalised(fromFirstPlay(recorded))).toBe(normalised(fromFirstPlay(expected)));
    expect(recorded).not.toContain('hunter2');
    expect(recorded).not.toContain('\x1b[');
    expect(recorded).not.toContain('NOTIFIED HANDLER');
    expect(recorded).toMatch(/ n=ansible \| \[WARNING\]: /);
    expect(recorded).toMatch(/ n=ansible \| testhost +: ok=7 +changed=1 .* ignored=1 +\n$/);
    expect(recorded).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} p=\\d+ u=${process.env.LOGNAME || process.env.USER || 'root'} n=ansible \\| fleet `));
  });

  it('warns of a log it cannot write, as ansible-playbook does, and runs', () => {
    project ??= localProject({ 'site.yml': PLAYBOOK });
    const missing = join(project.dir, 'no-such-dir', 'run.log');
    const { ansible, fleet } = project.both(['site.yml'], 0, { ANSIBLE_LOG_PATH: missing });
    expect(fleet.stderr.split('\n').slice(0, 2)).toEqual(ansible.stderr.split('\n').slice(0, 2));
    expect(fleet.stderr).toContain(`[WARNING]: log file at ${missing} is not writeable and we cannot create it, aborting\n\n`);
    expect(existsSync(missing)).toBe(false);
  });

  it("records a load error as Display.error logs it: ansible-playbook's record, fleet's key path added as on screen", () => {
    project ??= localProject({ 'site.yml': PLAYBOOK });
    writeFileSync(join(project.dir, 'bad.yml'), '- hosts: all\n  tasks:\n    - debug: msg=hi\n      bogus: 1\n');
    const logs = { ansible: join(project.dir, 'bad-ansible.log'), fleet: join(project.dir, 'bad-fleet.log') };
    const ansible = project.run('ansible', ['bad.yml'], { ANSIBLE_LOG_PATH: logs.ansible });
    const fleet = project.run('fleet', ['bad.yml'], { ANSIBLE_LOG_PATH: logs.fleet });
    expect(fleet.status).toBe(ansible.status);
    const record = (file: string) => normalised(readFileSync(file, 'utf8')).replace(' (at [0].tasks[0])', '');
    expect(record(logs.fleet)).toBe(record(logs.ansible));
    expect(record(logs.fleet)).toContain("TIME p=PID u=");
    expect(record(logs.fleet)).toContain("ERROR! conflicting action statements: debug, bogus\n\nThe error appears to be in '");
  });

  it('masks the run\'s secrets in the log, as in the history ledger, where the screen shows what Ansible shows', () => {
    project ??= localProject({ 'site.yml': PLAYBOOK });
    writeFileSync(join(project.dir, 'secret.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg="pw {{ ansible_become_password }}"\n');
    const log = join(project.dir, 'secret.log');
    const fleet = project.run('fleet', ['-e', 'ansible_become_password=TopSecret123', 'secret.yml'], { ANSIBLE_LOG_PATH: log });
    expect(fleet.status, fleet.stdout + fleet.stderr).toBe(0);
    expect(fleet.stdout).toContain('"msg": "pw TopSecret123"');
    expect(readFileSync(log, 'utf8')).toContain('"msg": "pw ');
    expect(readFileSync(log, 'utf8')).not.toContain('TopSecret123');
  });
});
