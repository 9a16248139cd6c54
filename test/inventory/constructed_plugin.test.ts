/**
 * The `constructed` inventory plugin (a `plugin: constructed` YAML file the auto plugin hands
 * on), compared with ansible-inventory and ansible-playbook 2.14: `compose` variables (text,
 * as 2.14's templating gives them, lookups disabled), `groups` conditionals, and
 * `keyed_groups` from strings, lists and mappings with prefix, separator, default_value,
 * trailing_separator, parent_group and leading_separator, group names made safe; with
 * use_vars_plugins the group_vars next to the sources parsed before; a strict failure is one
 * more plugin failure, with Ansible's text. Every host is on a local connection.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, sortedSections } from '../apply/support.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { runIn, unwrapped, type ToolRun as Run } from './tool_run.js';

const FILES: Record<string, string> = {
  'inv/01-hosts.yml': `all:
  vars:
    site: lon
    ansible_connection: local
    ansible_python_interpreter: /usr/bin/python3
  children:
    web:
      hosts:
        web1.example.com: {os: Debian, tags: {env: prod, tier: front}, roles: [a, b], n: 1}
        web2: {os: "Red Hat", tags: {env: dev, tier: ''}, roles: [], n: 2}
    db:
      hosts:
        db1: {os: Debian, tags: {}, n: 3}
        10.1.2.3: {tags: {}, n: 0}
`,
  'inv/group_vars/web.yml': 'from_file: yes\n',
  'inv/02-constructed.yml': `plugin: constructed
strict: false
use_vars_plugins: true
compose:
  double: n * 2
  label: "'host-' ~ inventory_hostname_short"
  names: group_names
  seen: from_file | default('no')
  broken: nosuch.attr
  home: lookup('env', 'HOME')
groups:
  big: n > 1
  debian: os == 'Debian'
  "bad-name": true
  "1st": double == '4'
  fails: nosuch > 1
keyed_groups:
  - key: os
    prefix: os
  - key: tags
    prefix: tag
  - key: tags
    separator: "="
    default_value: none
  - key: roles
    prefix: role
    parent_group: "{{ site }}_roles"
  - key: site
    prefix: ""
    separator: ""
  - key: site
  - key: tags.tier
    prefix: tier
    trailing_separator: false
  - key: "[os, '']"
    default_value: other
`,
  'inv/03-leading.yml': `plugin: ansible.builtin.constructed
leading_separator: no
keyed_groups:
  - key: tags
  - key: os
    prefix: ""
`,
  // Fails for db1, whose tags have no env: the file is one more unparsed source, after the groups it made for web1 and web2.
  'inv/04-strict.yml': `plugin: constructed
strict: true
keyed_groups:
  - key: tags.env
    prefix: env
`,
  // Facts a jsonfile fact cache holds, which constructed reads (and ansible-inventory shows, as unsafe text).
  'cached/01-hosts': 'cached1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
  'cached/02-constructed.yml': `plugin: constructed
compose:
  family: ansible_os_family
keyed_groups:
  - key: ansible_distribution
    prefix: distro
`,
  'facts/cached1': JSON.stringify({ _ansible_facts_gathered: true, ansible_distribution: 'Debian', ansible_os_family: 'Debian', ansible_all_ipv4_addresses: ['192.0.2.9'] }),
  'cached.yml': `- hosts: distro_Debian
  gather_facts: no
  tasks:
    - debug:
        msg: "{{ family }} {{ ansible_distribution }} {{ ansible_facts.os_family }}"
`,
  'site.yml': `- hosts: os_Debian:big
  gather_facts: no
  tasks:
    - debug:
        msg: "{{ group_names }} {{ double }} {{ double | type_debug }} {{ label }} {{ names }} {{ seen }} {{ broken | default('-') }} {{ home | default('-') }}"
`,
};

let dir: string;
let fleet: string;

const run = (command: string, args: string[], env: Record<string, string> = {}): Run => runIn(dir, command, args, env);


describe.skipIf(!hasAnsible())('the constructed inventory plugin, as in ansible-inventory and ansible-playbook', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-constructed-'));
    for (const [name, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    fleet = join(fleetBinDir(), 'fleet');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the same groups and variables, and fails a strict file the same way', () => {
    for (const action of ['--list', '--graph']) {
      const ansible = run('ansible-inventory', ['-i', 'inv', action]);
      const ours = run(fleet, ['inventory', '-i', 'inv', action]);
      expect(ansible.status, ansible.stderr).toBe(0);
      expect(ours.status, ours.stderr).toBe(0);
      expect(ours.stdout).toBe(ansible.stdout);
      expect(unwrapped(ours.stderr)).toBe(unwrapped(ansible.stderr));
    }
    const ansible = run('ansible-inventory', ['-i', 'inv', '--list']);
    // What the comparison stands on.
    expect(ansible.stdout).toContain('"os_Red_Hat"');
    expect(ansible.stdout).toContain('"lon_roles"');
    expect(ansible.stdout).toContain('"_st"');
    expect(ansible.stdout).toContain('"label": "host-10.1.2.3"');
    expect(unwrapped(ansible.stderr)).toContain("Could not generate group for host db1 from tags.env entry: 'dict object' has no attribute 'env'");
  });

  it('reads the fact cache, as the plugin and ansible-inventory do', () => {
    const cache = { ANSIBLE_CACHE_PLUGIN: 'jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION: join(dir, 'facts') };
    for (const args of [['inventory', '-i', 'cached', '--graph'], ['inventory', '-i', 'cached', '--host', 'cached1']]) {
      const ansible = runIn(dir, 'ansible-inventory', args.slice(1), cache);
      const ours = runIn(dir, fleet, args, cache);
      expect([ours.status, ours.stdout, ours.stderr]).toEqual([ansible.status, ansible.stdout, ansible.stderr]);
    }
    const ansible = runIn(dir, 'ansible-playbook', ['-i', 'cached', 'cached.yml'], cache);
    const ours = runIn(dir, fleet, ['apply', '-i', 'cached', 'cached.yml'], cache);
    expect([ours.status, ours.stdout, ours.stderr]).toEqual([ansible.status, ansible.stdout, ansible.stderr]);
    expect(ansible.stdout).toContain('"msg": "Debian Debian Debian"');
  }, 60_000);

  it('runs a play on the constructed groups with the composed variables', () => {
    const ansible = run('ansible-playbook', ['-i', 'inv', 'site.yml']);
    const ours = run(fleet, ['apply', '-i', 'inv', 'site.yml']);
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(ours.status, ours.stdout + ours.stderr).toBe(0);
    expect(sortedSections(ours.stdout)).toEqual(sortedSections(ansible.stdout));
    expect(unwrapped(ours.stderr)).toBe(unwrapped(ansible.stderr));
    expect(ansible.stdout).toContain('ok: [web1.example.com]');
    expect(ansible.stdout).toContain(' 4 str host-web2 ');
  }, 60_000);
});
