/**
 * Role argument specs and validate_argument_spec, printed by ansible-playbook and by fleet:
 * the validation task Ansible puts first in a role's tasks (its name, `always` tag, place after
 * the dependencies, meta/argument_specs.yml over meta/main.yml, tasks_from entry points,
 * rolespec_validate), the action's checks and messages (types, required, choices, elements,
 * nested options and their groups, aliases, unsupported keys, several errors at once) and the
 * result it registers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasAnsible, recap } from './support.js';
import { fromFirstPlay, localProject, type LocalProject } from './local_project.js';

const ROLES: Record<string, string> = {
  // specs in meta/main.yml, with a dependency that has its own
  'roles/app/meta/main.yml': `dependencies:
  - role: dep
    level: "2"
argument_specs:
  main:
    short_description: Deploy the app
    options:
      who: {type: str, required: true}
      count: {type: int, default: 3}
      mode: {type: str, choices: [fast, slow]}
      ports: {type: list, elements: int}
      conf:
        type: dict
        options:
          host: {type: str, required: true, aliases: [hostname]}
          port: {type: int, default: 80}
          tls: {type: bool}
        mutually_exclusive: [[cert, key_file]]
  setup:
    options:
      x: {type: int, required: true}
`,
  'roles/app/defaults/main.yml': 'count: "7"\n',
  'roles/app/tasks/main.yml': '- debug: msg="app {{ who }} {{ count }}"\n',
  'roles/app/tasks/setup.yml': '- debug: msg="setup {{ x }}"\n',
  'roles/dep/meta/argument_specs.yaml': 'argument_specs:\n  main:\n    options:\n      level: {type: int, choices: [1, 2, 3]}\n',
  'roles/dep/tasks/main.yml': '- debug: msg="dep {{ level }}"\n',
  // meta/argument_specs.yml wins: meta/main.yml's spec (which would fail) is not read
  'roles/both/meta/main.yml': 'argument_specs:\n  main:\n    options:\n      never_given: {required: true}\n',
  'roles/both/meta/argument_specs.yml': 'argument_specs:\n  main:\n    short_description: from argument_specs.yml\n    options:\n      flavour: {default: vanilla}\n',
  'roles/both/tasks/main.yml': '- debug: msg=both\n',
  // no tasks: the validation task is the role's only task
  'roles/notasks/meta/argument_specs.yml': 'argument_specs:\n  main:\n    options:\n      size: {type: float, required: true}\n',
  'roles/nospec/tasks/main.yml': '- debug: msg=nospec\n',
  // argument_specs that is not a mapping
  'roles/broken/meta/main.yml': 'argument_specs: [1]\n',
  'roles/broken/tasks/main.yml': '- debug: msg=broken\n',
};

const SITE = `- hosts: testhost
  gather_facts: false
  roles:
    - role: app
      who: bob
      conf: {hostname: h, tls: "yes"}
    - both
    - role: notasks
      size: "1.5"
    - nospec
  tasks:
    - import_role: {name: app, tasks_from: setup}
      vars: {x: "5"}
    - include_role: {name: app, tasks_from: setup, rolespec_validate: false}
      vars: {x: oops}
    - name: several errors at once
      include_role:
        name: app
        apply: {ignore_errors: true}
      vars:
        who: [1]
        count: abc
        mode: medium
        ports: [1, "{{ 'x' }}"]
        conf: {port: "{{ 'y' }}", cert: a, key_file: b, extra: 1}
    - name: missing required, bad type
      include_role:
        name: app
        apply: {ignore_errors: true}
      vars: {count: 1.5, conf: "{{ 'nope' }}"}
    - name: explicit validation that passes
      validate_argument_spec:
        argument_spec:
          a: {type: int, required: true}
          b: {type: list, elements: str, choices: [x, y]}
          d: {type: dict}
          f: {type: float}
          r: {type: raw}
          s: {type: str, aliases: [ess]}
        provided_arguments: {a: "42", b: "x,y", d: "k=v other='a b'", f: 2, r: [1], ess: 3}
      register: passed
    - name: explicit validation that fails
      validate_argument_spec:
        argument_spec:
          a: {type: int, required: true}
          b: {type: str, aliases: [bee]}
          servers:
            type: list
            elements: dict
            options:
              name: {required: true}
              state: {choices: [present, absent], default: present}
              path: {type: str}
              owner: {type: str}
              group: {type: str}
            required_if: [[state, absent, [path]]]
            required_by: {owner: [group]}
            required_together: [[path, owner]]
        provided_arguments:
          bee: 3
          c: 4
          servers: [{name: one, state: absent}, {owner: me}, 7]
      register: failed_one
      ignore_errors: true
    - name: no argument_spec
      validate_argument_spec:
        provided_arguments: {a: 1}
      register: no_spec
      ignore_errors: true
    - debug: var=passed
    - debug: var=failed_one
    - debug: var=no_spec
`;

// include_role in a loop, a role listed twice, templated variables, undefined variables in both places the action templates
const MORE = `- hosts: testhost
  gather_facts: false
  vars:
    computed: "{{ 2 + 1 }}"
    from_nothing: "{{ nothing_here }}"
  tasks:
    - include_role: {name: dep, apply: {ignore_errors: true}}
      loop: [1, 5]
      vars: {level: "{{ item }}"}
    - name: an option and its alias, templated values
      validate_argument_spec:
        argument_spec:
          conf: {type: dict, options: {host: {aliases: [hostname]}, n: {type: int}}}
          computed: {type: int, choices: [3]}
          fl: {type: float}
          li: {type: list, elements: str}
          yesno: {choices: [yes, no]}
        provided_arguments: {conf: {host: a, hostname: b, n: " 12 "}, fl: "1e3", li: 5, yesno: "True"}
      register: r
    - debug: var=r
    - name: undefined in the arguments
      validate_argument_spec:
        argument_spec: {a: {type: int}}
        provided_arguments: {a: "{{ undefined_thing }}"}
      ignore_errors: true
    - name: undefined in a variable the spec names
      validate_argument_spec:
        argument_spec: {from_nothing: {type: int}}
      ignore_errors: true
- hosts: testhost
  gather_facts: false
  roles:
    - {role: dep, level: 1}
    - {role: dep, level: 1}
    - {role: dep, level: 9}
`;

const BROKEN = '- hosts: testhost\n  gather_facts: false\n  roles: [broken]\n';

describe.skipIf(!hasAnsible())('role argument specs, as ansible-playbook runs them', () => {
  let project: LocalProject | undefined;
  const setUp = (): LocalProject => {
    if (project) return project;
    project = localProject({ 'site.yml': SITE, 'more.yml': MORE, 'broken.yml': BROKEN });
    for (const [path, text] of Object.entries(ROLES)) {
      mkdirSync(dirname(join(project.dir, path)), { recursive: true });
      writeFileSync(join(project.dir, path), text);
    }
    return project;
  };
  afterAll(() => project?.remove());

  it('validates each role entry point as Ansible does, with the same lines, results and recap', () => {
    const { ansible, fleet } = setUp().both(['site.yml', '-v']);
    expect(fromFirstPlay(fleet.stdout)).toBe(fromFirstPlay(ansible.stdout));
    expect(recap(fleet.stdout)).toEqual(recap(ansible.stdout));
    // What the comparison rests on: the dependency's validation first, the failures ignored, the registered errors.
    const out = ansible.stdout;
    expect(out.indexOf("TASK [dep : Validating arguments against arg spec 'main']")).toBeLessThan(out.indexOf("TASK [app : Validating arguments against arg spec 'main' - Deploy the app]"));
    expect(out).toContain("TASK [both : Validating arguments against arg spec 'main' - from argument_specs.yml]");
    expect(out).toContain('"parameters are mutually exclusive: cert|key_file found in conf"');
    expect(out).toContain('"conf.cert, conf.extra, conf.key_file. Supported parameters include: host, port, tls (hostname)."');
    expect(out).toContain('"msg": "setup oops"');
    expect(out).toMatch(/ok=21 .* ignored=5/);
  }, 60_000);

  it('validates each include of a loop, a role listed twice once, and fails on undefined variables as Ansible does', () => {
    const { ansible, fleet } = setUp().both(['more.yml'], 2);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(ansible.stdout).toContain('"argument_errors": ["value of level must be one of: 1, 2, 3, got: 5"]');
    expect(ansible.stdout).toContain(`fatal: [testhost]: FAILED! => {"msg": "'nothing_here' is undefined. 'nothing_here' is undefined"}`);
    expect(ansible.stdout).toContain('"msg": "The task includes an option with an undefined variable. The error was: \'undefined_thing\' is undefined.');
  }, 60_000);

  it('tags the validation task always', () => {
    const { ansible, fleet } = setUp().both(['site.yml', '--tags', 'nothing']);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(ansible.stdout).toContain("TASK [notasks : Validating arguments against arg spec 'main']");
    expect(ansible.stdout).not.toContain('TASK [nospec : debug]');
  }, 60_000);

  it('refuses argument_specs that is not a mapping before running anything', () => {
    const ansible = setUp().run('ansible', ['broken.yml']);
    const fleet = setUp().run('fleet', ['broken.yml']);
    expect(ansible.stdout + ansible.stderr).toContain("Unexpected Exception, this is probably a bug: 'AnsibleSequence' object has no attribute 'get'");
    expect(fleet.status).not.toBe(0);
    expect(fleet.stdout + fleet.stderr).toContain("the argument_specs of role 'broken' must be a mapping");
    expect(fleet.stdout + fleet.stderr).toContain("roles/broken/meta/main.yml': line 1, column 17");
    expect(fleet.stdout).not.toContain('PLAY [');
  }, 60_000);
});
