/**
 * Module arguments converted by Ansible's type checkers (validation.py check_type_*), as
 * AnsibleModule converts them: an int option refuses a float (1.0) but takes '1_0' and a bool,
 * a bool option strips ' yes ' and names a list's class, a list option refuses a dict, every
 * option is converted before any choice is checked, and str options and str elements take
 * Python's str() of numbers, bools, lists and dicts. fleet took 1.0 as 1, refused '1_0', true
 * and ' yes ', turned a dict into a one-element list and reported a bad choice first.
 * A raw `mode` reaches the file module as JSON: a mode templated from a registered result is
 * its text (fleet read the unsafe-text object as "[object Object]", and a registered
 * "preserve" as a symbolic mode), a float or list fails in .split(','). Options given as null
 * still count as given to mutually_exclusive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const FIND = `paths: "{{ playbook_dir }}", patterns: "site.yml, inventory"`;
const PLAYBOOK = `- hosts: testhost
  gather_facts: false
  tasks:
    - find: { ${FIND}, depth: 1.0 }
      register: int_from_float
      ignore_errors: true
    - find: { ${FIND}, depth: "1_0" }
      register: int_underscored
    - find: { ${FIND}, depth: true }
      register: int_from_bool
    - find: { ${FIND}, file_type: socket, depth: 1.0 }
      register: types_before_choices
      ignore_errors: true
    - find: { paths: { a: 1 } }
      register: list_from_dict
      ignore_errors: true
    - find: { paths: 5, patterns: "a, b" }
      register: list_from_int
    - stat: { path: "{{ playbook_dir }}/site.yml", get_checksum: " yes ", get_mime: false, follow: 1.0 }
      register: bool_spaced
    - stat: { path: "{{ playbook_dir }}/site.yml", follow: [1] }
      register: bool_from_list
      ignore_errors: true
    - wait_for: { timeout: "0.0" }
      register: int_from_float_text
      ignore_errors: true
    - lineinfile: { path: "{{ playbook_dir }}/lines", create: true, line: [1, 2.5, true, { a: 1 }] }
      check_mode: true
      diff: true
      register: str_from_list
    - command: { argv: [echo, 1, 2.5, true, [x]] }
      register: argv_elements
    - stat: { path: "{{ playbook_dir }}" }
      register: dir_stat
    - file: { path: "{{ playbook_dir }}/site.yml", mode: "{{ dir_stat.stat.mode }}" }
      check_mode: true
      diff: true
    - command: echo preserve
      register: preserve_word
    - copy: { src: "{{ playbook_dir }}/site.yml", dest: "{{ playbook_dir }}/copied", mode: "{{ preserve_word.stdout }}" }
      check_mode: true
    - file: { path: "{{ playbook_dir }}/site.yml", mode: 6.44 }
      ignore_errors: true
    - file: { path: "{{ playbook_dir }}/site.yml", mode: [1] }
      ignore_errors: true
    - lineinfile: { path: "{{ playbook_dir }}/lines", line: x, regexp: null, search_string: null }
      ignore_errors: true
    - debug:
        msg: "{{ item.failed | default(false) }} {{ item.msg | default('') }} | {{ item.matched | default('') }} {{ item.stat.checksum | default('') }} {{ item.stdout | default('') }}"
      loop: "{{ [int_from_float, int_underscored, int_from_bool, types_before_choices, list_from_dict, list_from_int, bool_spaced, bool_from_list, int_from_float_text, str_from_list, argv_elements] }}"
      loop_control: { label: "{{ ansible_loop.index }}", extended: true }
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('module arguments converted as AnsibleModule converts them', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK });
  });

  afterAll(() => project.remove());

  it('gives each module the values, and fails with the messages, of ansible-playbook', () => {
    const { ansible, fleet } = project.both(['site.yml']);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(ansible.stdout).toContain("argument 'depth' is of type <class 'float'> and we were unable to convert to int: <class 'float'> cannot be converted to an int");
    expect(ansible.stdout).toContain("argument 'paths' is of type <class 'dict'> and we were unable to convert to list: <class 'dict'> cannot be converted to a list");
    expect(ansible.stdout).toContain("+[1, 2.5, True, {'a': 1}]");
    expect(ansible.stdout).toContain(`"details": "'float' object has no attribute 'split'"`);
    expect(ansible.stdout).toMatch(/-\s+"mode": "06[0-7]4",\n\+\s+"mode": "0700",/);
    expect(ansible.stdout).toContain('ignored=8');
    // mutually_exclusive counts the keys given, null ones too (check_mutually_exclusive runs before any default).
    expect(ansible.stdout).toContain('"msg": "parameters are mutually exclusive: regexp|search_string"');
    expect(ansible.stdout).toContain('TASK [copy] ********************************************************************\nchanged: [testhost]\n');
  }, 120_000);
});
