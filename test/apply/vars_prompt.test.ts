/**
 * A play's vars_prompt, compared with ansible-playbook 2.14 when stdin is not a terminal (as
 * in CI): nothing is asked, Ansible warns once and each variable takes its default — templated
 * with the play's vars — or the text 'None'; `encrypt` hashes it, an extra var skips the
 * prompt, and a malformed entry stops the run at load. (fleet used to accept the keyword and
 * leave every prompted variable undefined.) At a terminal the answers are read as Ansible
 * reads them: visible on stdin, private without echo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PROMPTED = `- hosts: testhost
  gather_facts: no
  vars:
    base: from-play
  vars_prompt:
    - name: with_default
      prompt: "Give {{ base }}"
      default: "d-{{ base }}"
    - name: no_default
    - name: hashed
      default: secret
      encrypt: sha512_crypt
      salt: abcdefgh
      private: no
    - name: given
      default: x
    - name: raw_default
      default: "{{ base }}"
      unsafe: yes
  tasks:
    - debug: msg="{{ with_default }}|{{ no_default }}|{{ hashed }}|{{ given }}|{{ raw_default }}|{{ no_default is string }}"
- hosts: testhost
  gather_facts: no
  vars_prompt:
    name: single
    default: one
  tasks:
    - debug: var=single
`;

const MALFORMED: Record<string, string> = {
  'nameless.yml': '- hosts: testhost\n  vars_prompt:\n    - prompt: nameless\n  tasks: []\n',
  'unknown_key.yml': '- hosts: testhost\n  vars_prompt:\n    - name: x\n      colour: red\n  tasks: []\n',
  'not_mappings.yml': '- hosts: testhost\n  vars_prompt:\n    - x\n    - name: y\n  tasks: []\n',
};

let project: LocalProject;

const run = (tool: 'ansible' | 'fleet', playbook: string) => project.run(tool, ['-e', 'given=cli', playbook]);

describe.skipIf(!hasAnsible())('vars_prompt without a terminal, as in ansible-playbook', () => {
  beforeAll(() => {
    project = localProject({ 'prompted.yml': PROMPTED, ...MALFORMED });
  });

  afterAll(() => project.remove());

  it('takes the defaults, warns once, hashes, and leaves what -e gives', () => {
    const { ansible, fleet } = project.both(['-e', 'given=cli', 'prompted.yml']);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stderr).toBe(ansible.stderr);
    expect(ansible.stdout).toContain('"msg": "d-from-play|None|$6$rounds=656000$abcdefgh$');
    expect(ansible.stderr).toBe('[WARNING]: Not prompting as we are not in interactive mode\n');
  }, 120_000);

  it.each(Object.keys(MALFORMED))('stops at load on a malformed vars_prompt (%s)', (file) => {
    const ansible = run('ansible', file);
    const fleet = run('fleet', file);
    expect(ansible.status).not.toBe(0);
    expect(fleet.status).toBe(ansible.status);
    // fleet adds the key path to Ansible's first line: `… (at [0].vars_prompt)`.
    const firstLine = (text: string): string => (text.split('\n')[0] as string).replace(/ \(at \[0\]\.vars_prompt\)$/, '');
    expect(firstLine(fleet.stderr)).toBe(firstLine(ansible.stderr));
    expect(fleet.stdout).toBe('');
  }, 120_000);
});
