/**
 * callback_result_format and callback_format_pretty, compared with ansible-playbook 2.14
 * (stdout and stderr each exactly, the command's timestamps aside). YAML results start on the
 * line after `=> `, indented 4 (pretty, the default for YAML: sorted keys, multi-line strings
 * as literal blocks with trailing spaces, tabs and special characters munged away, stdout_lines
 * and stderr_lines `<omitted>`) or with PyYAML's indent 2 under 4 spaces (pretty false:
 * exact text, quoted where a block cannot hold it); quoting of strings YAML would read as
 * something else, folding of lines over 80 columns, empty collections, None and floats;
 * debug msg/var, loops, -v results, skips, no_log's censored results, the retry's `Result
 * was:` and a file module's structured diff, which is YAML too. Pretty JSON is indented
 * without -v. A format other than json or yaml stops the run as a bad setting (exit 5).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: testhost
  gather_facts: false
  vars:
    shapes:
      nested: {list: [1, [2, 3], {k: v}], dict: {a: {b: [x, y]}}}
      empty_dict: {}
      empty_list: []
      none: null
      floats: [1.5, 2.0, 1.0e+20, 0.1]
      quoted: ['yes', 'no', '1', '1.5', 'a: b', ' leading', 'trailing ', '~', 'null', '', '#hash', '- dash', '@at', '2024-01-01', "it's", 'héllo ✓ 日本']
      long: "this is a rather long line of text that goes well over the eighty column limit of the emitter"
      multi: "first line\\nsecond line\\n"
      multi_nonl: "one\\ntwo"
      multi_trailing: "spaces after   \\nand\\ta tab\\n"
      multi_lead: "\\n  indented start\\n"
      multi_blank: "a\\n\\n\\nb\\n\\n"
  tasks:
    - name: shapes
      debug: var=shapes
    - name: a message
      debug:
        msg: "{{ shapes.multi }}"
    - name: a list message
      debug:
        msg: ["{{ shapes.long }}", "x\\ny"]
    - name: command output
      shell: "printf 'out one  \\\\nout\\\\ttwo\\\\n'; printf 'err line\\\\n' >&2; exit 3"
      register: out
      ignore_errors: true
    - name: registered
      debug: var=out.stdout_lines
    - name: loop
      debug: msg="{{ item }}"
      loop: ["plain", "multi\\nline", {k: [1]}]
    - name: changed loop
      command: echo {{ item }}
      loop: [a]
      changed_when: true
      register: loopout
    - name: skipped
      debug: msg=never
      when: false
    - name: skipped item
      debug: msg="{{ item }}"
      loop: [1, 2]
      when: item == 2
    - name: secret
      debug: msg=hidden
      no_log: true
    - name: secret failure
      fail: msg=hidden
      no_log: true
      ignore_errors: true
    - name: failure
      fail:
        msg: "broke:\\n  here"
      ignore_errors: true
    - name: retries
      debug: msg=again
      register: r
      until: r.msg == 'never'
      retries: 1
      delay: 0
      ignore_errors: true
    - name: set a fact
      set_fact:
        fact: {x: "yes"}
    - name: changed
      debug: msg=changed
      changed_when: true
    - name: fresh file
      shell: rm -f f.txt && echo x > f.txt && chmod 644 f.txt
      args: {chdir: "{{ playbook_dir }}"}
      changed_when: false
    - name: file diff
      file: path={{ playbook_dir }}/f.txt mode=0600
      diff: true
`;

/** The command's timing keys differ from run to run, in JSON and in YAML alike. */
const untimed = (text: string): string => text.replace(/(delta|start|end)("?: ["']?)[0-9][0-9:. -]*/g, '$1$2X');

const uncoloured = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');

const FORMATS: { name: string; cfg: string; args: string[]; env: NodeJS.ProcessEnv; shows: string[] }[] = [
  {
    name: 'yaml, pretty by default, at -v, coloured',
    cfg: 'callback_result_format = yaml',
    args: ['-v'],
    // Each line coloured on its own, the result's trailing newline outside the colour.
    env: { ANSIBLE_FORCE_COLOR: '1' },
    shows: ['ok: [testhost] => \n    msg: |-\n        first line\n', 'stdout_lines: <omitted>', "-    mode: '0644'", 'skipping: [testhost] => \n    {}\n', '    censored: ', 'Result was: \n'],
  },
  {
    name: 'yaml not pretty, from the environment, at -v',
    cfg: '',
    args: ['-v'],
    env: { ANSIBLE_CALLBACK_RESULT_FORMAT: 'yaml', ANSIBLE_CALLBACK_FORMAT_PRETTY: 'false' },
    shows: ['      multi_trailing: "spaces after   \\nand\\ta tab\\n"', '    stdout_lines:\n    - \'out one  \''],
  },
  { name: 'json, pretty', cfg: 'callback_result_format = json\ncallback_format_pretty = true', args: [], env: {}, shows: ['ok: [testhost] => {\n    "shapes": {'] },
];

let project: LocalProject;

describe.skipIf(!hasAnsible())('callback_result_format and callback_format_pretty, as ansible-playbook prints results', () => {
  beforeAll(() => {
    project = localProject({ 'play.yml': PLAYBOOK });
  });

  afterAll(() => project.remove());

  it.each(FORMATS)('$name', ({ cfg, args, env, shows }) => {
    writeFileSync(join(project.dir, 'ansible.cfg'), `[defaults]\n${cfg}\n`);
    const { ansible, fleet } = project.both([...args, 'play.yml'], 0, env);
    // From the first play: fleet does not colour -v's `Using … as config file` line.
    expect(untimed(fromFirstPlay(fleet.stdout))).toBe(untimed(fromFirstPlay(ansible.stdout)));
    expect(fleet.stderr).toBe(ansible.stderr);
    for (const text of shows) expect(uncoloured(ansible.stdout)).toContain(text);
  }, 60_000);

  it('refuses a result format the doc fragment does not offer, as ansible-playbook does', () => {
    writeFileSync(join(project.dir, 'ansible.cfg'), '[defaults]\ncallback_result_format = xml\n');
    const fleet = project.run('fleet', ['play.yml']);
    expect(fleet.status).toBe(5);
    expect(fleet.stderr).toContain('Invalid value "xml" for configuration option "plugin_type: callback plugin: default setting: result_format ", valid values are: json, yaml');
  });
});
