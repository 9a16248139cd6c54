/**
 * The default callback's options as ansible.cfg sets them, compared with ansible-playbook 2.14
 * (stdout and stderr each exactly). Hiding skipped or ok results defers a task's banner to its
 * first result shown (a task with none has no banner; a changed, failed or include result still
 * shows one), while the recap counts everything; check_mode_markers marks the plays and tasks
 * in check mode and frames a --check run with DRY RUN banners; show_per_host_start prints the
 * untemplated `[started TASK: …]` line before each host runs a task (meta tasks have none);
 * show_task_path_on_failure adds `task path:` before a failure below -vv; display_failed_stderr
 * sends failure lines to stderr (`...ignoring` stays on stdout); show_custom_stats prints what
 * set_stats gathered (per host or for the run, aggregated or replaced) after the recap.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: testhost
  gather_facts: false
  vars: {word: templated}
  tasks:
    - name: all skip
      debug: msg=hi
      when: false
    - name: "ok {{ word }}"
      debug: msg=hello
    - name: changed one
      debug: msg=changed
      changed_when: true
      notify: [changed handler, ok handler]
    - meta: noop
    - name: loop mixed
      debug: msg={{ item }}
      loop: [1, 2, 3]
      when: item != 2
    - name: loop changed
      debug: msg={{ item }}
      loop: [a, b]
      when: item == 'a'
      changed_when: true
    - name: loop all ok
      debug: msg={{ item }}
      loop: [1, 2]
    - name: loop all skip
      debug: msg={{ item }}
      loop: [1, 2]
      when: false
    - name: failing ignored
      fail: msg=ignored
      ignore_errors: true
    - name: loop fail ignored
      fail: msg={{ item }}
      loop: [x, y]
      when: item == 'y'
      ignore_errors: true
    - name: include
      include_tasks: inc.yml
    - name: include skipped
      include_tasks: inc.yml
      when: false
    - name: include loop
      include_tasks: inc.yml
      loop: [1]
    - name: in check mode
      debug: msg=cm
      check_mode: true
    - name: never in check mode
      debug: msg=nc
      check_mode: false
    - name: run stats
      set_stats:
        data: {count: 1, names: [a], nested: {k: 1, deep: {p: 1}}, text: foo, mismatched: 1}
    - name: run stats aggregated
      set_stats:
        data: {count: 2, names: [b], nested: {j: 2, deep: {q: 2}}, text: bar, mismatched: x}
    - name: run stats replaced
      set_stats:
        data: {replaced: "{{ word }}"}
        aggregate: false
    - name: host stats in a loop
      set_stats:
        data: {seen: "{{ item }}", flag: true}
        per_host: yes
      loop: [1, 2]
    - name: stats that are no dict
      set_stats:
        data: not a dict
      ignore_errors: true
  handlers:
    - name: changed handler
      debug: msg=h
      changed_when: true
    - name: ok handler
      debug: msg=h2
- hosts: testhost
  gather_facts: false
  check_mode: true
  tasks:
    - name: play in check mode
      debug: msg=x
    - name: fail at the end
      fail: msg=boom
`;

const INCLUDED = `- name: included ok
  debug: msg=inc
- name: included skip
  debug: msg=x
  when: false
`;

const SHOWING = 'check_mode_markers = true\nshow_per_host_start = true\nshow_task_path_on_failure = true\ndisplay_failed_stderr = true\nshow_custom_stats = true';

/** Each set with text its output must hold and must not, so that an ansible.cfg neither tool read could not pass. */
const OPTION_SETS: { name: string; defaults: string; args: string[]; shows: string[]; hides: string[] }[] = [
  { name: 'display_skipped_hosts off', defaults: 'display_skipped_hosts = False', args: [], shows: ['TASK [loop mixed]'], hides: ['TASK [all skip]', 'TASK [loop all skip]', 'skipping:', 'CUSTOM STATS'] },
  { name: 'display_ok_hosts off', defaults: 'display_ok_hosts = no', args: [], shows: ['TASK [all skip]', 'TASK [include]', 'RUNNING HANDLER [changed handler]'], hides: ['TASK [ok templated]', 'TASK [loop all ok]', 'RUNNING HANDLER [ok handler]'] },
  {
    name: 'both off, -v, --check, check_mode_markers',
    defaults: 'display_skipped_hosts = 0\ndisplay_ok_hosts = 0\ncheck_mode_markers = yes\nshow_custom_stats = yes',
    args: ['-v', '--check'],
    shows: ['DRY RUN', 'TASK [changed one] [CHECK MODE]', 'PLAY [testhost] [CHECK MODE]', 'skipped=5', 'CUSTOM STATS: ***'],
    hides: ['TASK [all skip]', 'TASK [loop all ok]', 'TASK [included ok]'],
  },
  { name: 'markers, per-host start, task path and failures on stderr', defaults: SHOWING, args: [], shows: ['TASK [in check mode] [CHECK MODE]', ' [started TASK: ok {{ word }} on testhost]', ' [started HANDLER: ok handler on testhost]', 'task path: ', '\ttesthost: { "flag": 2, "seen": 3}\n', '\tRUN: { "count": 3,'], hides: ['DRY RUN', 'fatal:', 'failed:'] },
];

let project: LocalProject;

describe.skipIf(!hasAnsible())('default callback options from ansible.cfg, as ansible-playbook prints them', () => {
  beforeAll(() => {
    project = localProject({ 'play.yml': PLAYBOOK, 'inc.yml': INCLUDED });
  });

  afterAll(() => project.remove());

  it.each(OPTION_SETS)('$name', ({ defaults, args, shows, hides }) => {
    writeFileSync(join(project.dir, 'ansible.cfg'), `[defaults]\n${defaults}\n`);
    const { ansible, fleet } = project.both([...args, 'play.yml'], 2);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stderr).toBe(ansible.stderr);
    for (const text of shows) expect(ansible.stdout).toContain(text);
    for (const text of hides) expect(ansible.stdout).not.toContain(text);
  }, 60_000);
});
