/**
 * hash_behaviour=merge (ansible.cfg `[defaults] hash_behaviour`, ANSIBLE_HASH_BEHAVIOUR): one
 * project defines the dict `app` (nested dicts and a list) in every place Ansible combines
 * variables (inventory group and host vars, a host in two groups, group_vars/all as a file,
 * group_vars/web as a directory of two files, host_vars, role defaults and vars of a role and
 * its dependency and the role entry's vars, play vars as a list and an import_playbook's
 * vars, vars_files (one a list of dicts), include_vars twice and with its own
 * hash_behaviour, set_fact twice, block and task vars, a loop_var, three -e, add_host),
 * prints it with debug, `| list` (key order), lookup('vars') and hostvars, and compares
 * ansible-playbook's output with fleet's; the same under ANSIBLE_HASH_BEHAVIOUR=replace (the
 * variable beats ansible.cfg); and ansible-inventory --graph --vars (key order), --list
 * --export and --host against fleet inventory.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const FILES: Record<string, string> = {
  'ansible.cfg': `[defaults]
hash_behaviour = merge
`,
  'inventory': `all:
  vars:
    app: {inv_all: 1, nested: {a: 1}}
  children:
    web:
      vars:
        app: {inv_web: 1, nested: {b: 1}}
      hosts:
        testhost:
          ansible_connection: local
          ansible_python_interpreter: /usr/bin/python3
          app: {inv_host: 1}
          other: {x: 1, nested: {y: 1}}
    db:
      hosts:
        testhost:
          app: {inv_host_again: 1}
`,
  'group_vars/all.yml': `app: {gv_all: 1, list: [1, 2], nested: {c: 1}}
flip: 1
flop: {a: 1}
`,
  'group_vars/web/a.yml': `app: {gv_web_a: 1, nested: {d: 1}}
`,
  'group_vars/web/b.yml': `app: {gv_web_b: 1, list: [3]}
`,
  'host_vars/testhost.yml': `app: {hv: 1}
`,
  'roles/base/defaults/main.yml': `app: {default_base: 1}
rv: {base_default: 1, nested: {a: 1}}
`,
  'roles/base/vars/main.yml': `rv: {base_var: 1, nested: {b: 1}}
`,
  'roles/top/meta/main.yml': `dependencies: [base]
`,
  'roles/top/defaults/main.yml': `app: {default_top: 1}
rv: {top_default: 1}
`,
  'roles/top/vars/main.yml': `rv: {top_var: 1, nested: {c: 1}}
`,
  'roles/top/tasks/main.yml': `- debug: var=app
- debug: var=rv
`,
  'vf1.yml': `app: {vf1: 1, nested: {vf: 1}}
`,
  'vf2.yml': `- app: {vf2: 1}
- app: {vf2b: 1}
  flop: 2
`,
  'iv1.yml': `app: {iv1: 1}
`,
  'iv2.yml': `app: {iv2: 1, nested: {iv: 2}}
`,
  'iv3.yml': `other: {nested: {z: 1}}
`,
  'play.yml': `- hosts: web
  gather_facts: false
  vars:
    - app: {play: 1, nested: {e: 1}}
      flip: {a: 1}
      imp: {p: 1}
      imp2: {p: 1}
    - app: {play2: 1}
  vars_files: [vf1.yml, vf2.yml]
  roles:
    - role: top
      vars: {rv: {entry: 1, nested: {e: 1}}}
  tasks:
    - debug: var=app
    - debug: var=flip
    - debug: msg="{{ app | list }} {{ app.nested | default({}) | list }}"
    - debug: var=flop
    - debug: msg="{{ imp }} {{ imp2 }}"
    - include_vars: iv1.yml
    - include_vars: iv2.yml
    - include_vars: {file: iv3.yml, hash_behaviour: replace}
    - debug: var=app
    - debug: var=other
    - set_fact: {app: {sf: 1}}
    - set_fact: {app: {sf2: 1}}
    - debug: var=app
    - debug: var=app
      vars: {app: {task: 1}}
    - block:
        - debug: var=app
          vars: {app: {task: 2}}
        - debug: var=app
      vars: {app: {block: 1, nested: {f: 1}}}
    - debug: msg="{{ lookup('vars', 'app') }}"
    - debug: msg="{{ app | list }} {{ app.nested | default({}) | list }} {{ lookup('vars', 'rv', default='') }}"
    - debug: msg="{{ hostvars[inventory_hostname]['app'] }}"
    - debug: var=ex
    - debug: var=app
      loop: [{looped: 1}]
      loop_control: {loop_var: app}
`,
  'site.yml': `- import_playbook: play.yml
  vars: {imp: {i: 1}}
- hosts: testhost
  gather_facts: false
  tasks:
    - add_host: {name: other1, groups: web, d: {a: 1, n: {x: 1}}}
    - add_host: {name: other1, d: {b: 2, n: {y: 1}}}
    - add_host: {name: other1, d: {b: 2}}
    - add_host: {name: testhost, other: {w: 1}}
    - debug: msg="{{ hostvars['other1']['d'] }} {{ hostvars['other1']['d'] | list }} {{ other }}"
`,
};

const EXTRA_VARS = [
  '-e', '{"app": {"ex1": 1, "nested": {"g": 1}}}',
  '-e', '{"app": {"ex2": 1}, "ex": {"a": {"b": 1}, "l": [1]}}',
  '-e', '{"ex": {"a": {"c": 2}, "l": [2]}}',
];

describe.skipIf(!hasAnsible())('hash_behaviour', () => {
  let project: LocalProject;
  let fleetBin: string;
  beforeAll(() => {
    project = localProject(FILES);
    fleetBin = fleetBinDir();
  });
  afterAll(() => project?.remove());

  it.each([
    { name: 'merge from ansible.cfg', env: {} },
    { name: 'replace from ANSIBLE_HASH_BEHAVIOUR over ansible.cfg', env: { ANSIBLE_HASH_BEHAVIOUR: 'replace' } },
  ])('combines variables as ansible-playbook does: $name', async ({ env }) => {
    const { ansible, fleet } = await project.bothAtOnce(['site.yml', ...EXTRA_VARS], 0, env);
    expect(fleet.stdout).toBe(ansible.stdout);
    // With TaskExecutor's warning that the loop_var `app` is already in use (the last task shows loop variables replace a dict, never merge with it).
    expect(fleet.stderr).toBe(ansible.stderr);
  }, 60_000);

  it('merges inventory variables as ansible-inventory does', async () => {
    const inventory = (command: string, args: string[]) =>
      new Promise<string>((resolve, reject) => {
        const env = { ...process.env, ANSIBLE_NOCOLOR: '1' };
        execFile(command, args, { cwd: project.dir, encoding: 'utf8', env }, (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout + stderr)));
      });
    for (const args of [['--graph', '--vars'], ['--list', '--export'], ['--host', 'testhost', '-e', '{"app": {"nested": {"q": 1}}}']]) {
      const [ansible, fleet] = await Promise.all([inventory('ansible-inventory', ['-i', 'inventory', ...args]), inventory(join(fleetBin, 'fleet'), ['inventory', '-i', 'inventory', ...args])]);
      expect(fleet, args.join(' ')).toBe(ansible);
    }
  }, 60_000);

  it('refuses a value it does not know, as ansible-playbook does', () => {
    const { ansible, fleet } = project.both(['play.yml'], 5, { ANSIBLE_HASH_BEHAVIOUR: 'deep' });
    expect(fleet.stderr).toBe(ansible.stderr);
  }, 60_000);
});
