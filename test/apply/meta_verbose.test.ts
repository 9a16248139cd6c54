/**
 * What ansible-playbook prints about meta tasks and handlers at -vv, and what end_host as a
 * handler and reset_connection do, compared with fleet (the CLI, so stdout and stderr are
 * each tool's own). At -vv, _execute_meta shows `META: <msg or skip_reason>` for each meta
 * task the playbook wrote, and the default callback's v2_playbook_on_notify shows `NOTIFIED
 * HANDLER <name> for <host>` when a change first notifies a handler on a host; neither shows
 * below -vv. refresh_inventory is compared on playbooks that rewrite their own inventory.
 * Runs on sandbox hosts h65–h68 and h70–h72 (engineer D's hosts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';
import { hasAnsible, recap, sortedSections } from './support.js';

const HOSTS = ['h65', 'h66', 'h67'];
/** The host whose login joins a group in the reset_connection playbook. */
const RESET_HOST = 'h68';
/** A group made for the test on this machine, which is every sandbox host's machine. */
const RESET_GROUP = 'fleet-meta-reset';

const FILES: Record<string, string> = {
  'verbose.yml': `- hosts: ${HOSTS.join(',')}
  gather_facts: false
  roles: [notifier]
  tasks:
    - name: change notifying a handler by name and a topic it shares
      debug: msg=start
      changed_when: true
      notify: [h one, topic]
    - name: loop notifying a handler already notified
      debug: msg="{{ item }}"
      loop: [1, 2]
      changed_when: true
      notify: h one
    - name: ok notifies nothing
      debug: msg=ok
      notify: h three
    - meta: flush_handlers
    - meta: noop
    - name: end h67
      meta: end_host
      when: inventory_hostname == 'h67'
    - name: play hosts after end_host
      debug: msg="{{ ansible_play_hosts }}"
    - meta: clear_facts
    - meta: clear_host_errors
    - meta: refresh_inventory
    - meta: end_play
      when: false
    - meta: end_batch
  handlers:
    - name: h one
      debug: msg=one
      changed_when: true
      notify: h three
      listen: topic
    - name: h two
      listen: topic
      debug: msg=two
    - name: h three
      debug: msg=three
`,
  'roles/notifier/tasks/main.yml': '- debug: msg=role\n  changed_when: true\n  notify: restart\n',
  'roles/notifier/handlers/main.yml': '- name: restart\n  debug: msg=restarted\n',
  'end_handlers.yml': `- hosts: ${HOSTS.join(',')}
  gather_facts: false
  tasks:
    - debug: msg=start
      changed_when: true
      notify: [ender, later]
    - meta: flush_handlers
    - name: play hosts after the handlers
      debug: msg="{{ ansible_play_hosts }}"
    - debug: msg=again
      changed_when: true
      notify: end play
  post_tasks:
    - debug: msg=post
  handlers:
    - name: ender
      meta: end_host
      when: inventory_hostname == 'h66'
    - name: later
      debug: msg=later
    # A run-once meta is forgotten only by the host it ran for: h67 runs it at the last flush.
    - name: end play
      meta: end_play
      when: inventory_hostname == 'h67'
- hosts: ${HOSTS.join(',')}
  gather_facts: false
  tasks:
    - debug: msg=second
`,
  'reset.yml': `- hosts: ${RESET_HOST}
  gather_facts: false
  tasks:
    - name: groups at login
      command: id -Gn
    - name: join the group on the controller
      command: gpasswd -a fleet-${RESET_HOST} ${RESET_GROUP}
      delegate_to: localhost
    - name: groups on the same connection
      command: id -Gn
    - meta: reset_connection
    - name: groups on a new connection
      command: id -Gn
    - name: leave the group
      command: gpasswd -d fleet-${RESET_HOST} ${RESET_GROUP}
      delegate_to: localhost
    # Ansible's ControlPersist master would otherwise outlive the run with the group in it.
    - meta: reset_connection
`,
};

/** Hosts of the refresh_inventory playbooks: h70 and h71 in the inventory, h72 added by add_host as dyn1. */
const REFRESH_HOSTS = ['h70', 'h71', 'h72'];

/** Playbooks that rewrite refreshed.yml, the inventory they run with, then refresh it. */
const REFRESH_FILES: Record<string, string> = {
  'refresh_grow.yml': `- hosts: web
  gather_facts: false
  tasks:
    - add_host: name=dyn1 groups=web {{ h72_login }}
    - group_by: key=grouped
    - name: the inventory gains h71, in web, and a variable of h70
      copy: src={{ playbook_dir }}/inventory_grown.yml dest={{ playbook_dir }}/refreshed.yml
      delegate_to: localhost
    - meta: refresh_inventory
    - name: after the refresh
      debug: msg="{{ groups }} {{ ansible_play_hosts_all }} {{ ansible_play_hosts }} {{ ansible_play_batch }} {{ hostvars['h70'].colour | default('none') }}"
    - name: only the hosts the play started with
      command: id -un
- hosts: web
  gather_facts: false
  tasks:
    - name: every host of the refreshed inventory, the added one too
      command: id -un
`,
  'refresh_shrink.yml': `- hosts: all
  gather_facts: false
  serial: 1
  tasks:
    - name: the inventory loses h71
      copy: src={{ playbook_dir }}/inventory_h70.yml dest={{ playbook_dir }}/refreshed.yml
      delegate_to: localhost
    - meta: refresh_inventory
    - name: after the refresh
      debug: msg="{{ groups.all }} {{ ansible_play_hosts_all }} {{ ansible_play_batch }}"
- hosts: all
  gather_facts: false
  tasks:
    - name: the inventory gets h71 back
      copy: src={{ playbook_dir }}/inventory_both.yml dest={{ playbook_dir }}/refreshed.yml
      delegate_to: localhost
      run_once: true
    - meta: refresh_inventory
    - name: h71 is in the inventory but not in this play
      debug: msg="{{ groups.all }} {{ ansible_play_hosts_all }} {{ ansible_play_batch }}"
- hosts: all
  gather_facts: false
  tasks:
    - name: the inventory loses h71 again
      copy: src={{ playbook_dir }}/inventory_h70.yml dest={{ playbook_dir }}/refreshed.yml
      delegate_to: localhost
      run_once: true
    - meta: refresh_inventory
    - name: h71 runs nothing more
      command: id -un
`,
};

let project: string;
let fleetBin: string;
let sandbox: SandboxHost[];

/** A sandbox host's login as inventory variables. */
function login(name: string, separator: ': ' | '=', joiner: string): string {
  const host = sandbox.find((each) => each.name === name) as SandboxHost;
  return [`ansible_host${separator}${host.address}`, `ansible_port${separator}${host.port}`, `ansible_user${separator}${host.user}`].join(joiner);
}

/** An inventory of sandbox hosts, each with extra variables (YAML flow entries), and a `web` group. */
function inventoryText(hosts: Record<string, string>, web: string[] = []): string {
  const lines = Object.entries(hosts).map(([name, extra]) => `    ${name}: {${[login(name, ': ', ', '), extra].filter(Boolean).join(', ')}}\n`);
  const group = web.length > 0 ? `  children:\n    web:\n      hosts:\n${web.map((name) => `        ${name}: {}\n`).join('')}` : '';
  const first = sandbox[0] as SandboxHost;
  return `all:\n  hosts:\n${lines.join('')}${group}  vars:\n    ansible_ssh_private_key_file: ${first.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`;
}

/** Each tool's stdout from its PLAYBOOK banner on (ansible-playbook's version and config lines come before it at -vv). */
function run(tool: 'ansible' | 'fleet', args: string[], inventory = 'inventory.yml'): { status: number | null; stdout: string; stderr: string } {
  const [command, first] = tool === 'ansible' ? ['ansible-playbook', []] : [join(fleetBin, 'fleet'), ['apply']];
  const done = spawnSync(command, [...first, '-i', inventory, ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
  const start = done.stdout.indexOf('\nPLAYBOOK: ');
  const stdout = start >= 0 ? done.stdout.slice(start) : done.stdout.replace(/^(No config file found; using defaults|Using .* as config file)\n/m, '');
  return { status: done.status, stdout, stderr: done.stderr };
}

const warnings = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('[WARNING]: '));

/** The lines of the section whose banner names `task`. */
function section(stdout: string, task: string): string[] {
  return sortedSections(stdout).find(([banner]) => banner?.includes(`[${task}]`)) ?? [];
}

describe.skipIf(!hasAnsible())('meta tasks and handler notifications, as ansible-playbook shows and runs them', () => {
  beforeAll(() => {
    sandbox = ensureSandbox(72).filter((host) => [...HOSTS, RESET_HOST, ...REFRESH_HOSTS].includes(host.name));
    project = mkdtempSync(join(tmpdir(), 'fleet-meta-verbose-'));
    writeFileSync(join(project, 'inventory.yml'), inventoryText(Object.fromEntries([...HOSTS, RESET_HOST].map((name) => [name, '']))));
    writeFileSync(join(project, 'inventory_h70.yml'), inventoryText({ h70: '' }, ['h70']));
    writeFileSync(join(project, 'inventory_both.yml'), inventoryText({ h70: '', h71: '' }));
    writeFileSync(join(project, 'inventory_grown.yml'), inventoryText({ h70: 'colour: blue', h71: '' }, ['h70', 'h71']));
    for (const [path, text] of Object.entries(REFRESH_FILES)) writeFileSync(join(project, path), text.replace('{{ h72_login }}', login('h72', '=', ' ')));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), text);
    }
    if (spawnSync('getent', ['group', RESET_GROUP]).status !== 0) execFileSync('groupadd', [RESET_GROUP]);
    fleetBin = fleetBinDir();
  });

  afterAll(() => {
    spawnSync('groupdel', [RESET_GROUP]);
  });

  it.each([[[]], [['-v']], [['-vv']]])('META and NOTIFIED HANDLER lines, and nothing else, at their verbosity (args %j)', (verbosity) => {
    const ansible = run('ansible', [...verbosity, 'verbose.yml']);
    const fleet = run('fleet', [...verbosity, 'verbose.yml']);
    expect(ansible.status).toBe(0);
    expect(fleet.status).toBe(ansible.status);
    expect(sortedSections(fleet.stdout)).toEqual(sortedSections(ansible.stdout));
    expect(recap(fleet.stdout)).toEqual(recap(ansible.stdout));
    expect(warnings(fleet.stderr)).toEqual(warnings(ansible.stderr));
    // What the comparison rests on, in the order Ansible prints it (sortedSections sorts lines).
    const shown = verbosity.includes('-vv');
    for (const tool of [ansible, fleet]) {
      expect(tool.stdout.includes('META: ')).toBe(shown);
      expect(tool.stdout.includes('NOTIFIED HANDLER ')).toBe(shown);
      if (!shown) continue;
      expect(tool.stdout).toContain('NOTIFIED HANDLER h one for h65\nNOTIFIED HANDLER h two for h65\nchanged: [h65]');
      expect(tool.stdout).toContain('NOTIFIED HANDLER notifier : restart for h66\nchanged: [h66]');
      expect(tool.stdout).toContain('META: end_host conditional evaluated to False, continuing execution for h65\nskipping: [h65]');
      expect(tool.stdout).toContain('META: ending play for h67\n');
      expect(tool.stdout).toContain('META: triggered running handlers for h66\n');
      expect(section(tool.stdout, 'h one')).toContain('NOTIFIED HANDLER h three for h65');
      expect(section(tool.stdout, 'loop notifying a handler already notified').join('\n')).not.toContain('NOTIFIED');
      expect(section(tool.stdout, 'play hosts after end_host').join('\n')).not.toContain('"h67"');
    }
  }, 180_000);

  it('a meta end_host handler ends its host: no more handlers, tasks or play hosts for it; a run-once meta handler waits for the next flush on the other hosts', () => {
    const ansible = run('ansible', ['-vv', 'end_handlers.yml']);
    const fleet = run('fleet', ['-vv', 'end_handlers.yml']);
    expect(ansible.status).toBe(0);
    expect(fleet.status).toBe(ansible.status);
    expect(sortedSections(fleet.stdout)).toEqual(sortedSections(ansible.stdout));
    expect(recap(fleet.stdout)).toEqual(recap(ansible.stdout));
    expect(warnings(fleet.stderr)).toEqual(warnings(ansible.stderr));
    for (const tool of [ansible, fleet]) {
      expect(recap(tool.stdout).get('h66')).toMatchObject({ ok: 2, changed: 1 });
      expect(section(tool.stdout, 'later').join('\n')).not.toContain('h66');
      expect(section(tool.stdout, 'play hosts after the handlers').join('\n')).not.toContain('"h66"');
      expect(tool.stdout).toContain('META: ending play\n');
    }
  }, 120_000);

  it('reset_connection closes the connection: the next task logs in anew and sees the group the login just joined', () => {
    const ansible = run('ansible', ['-v', 'reset.yml']);
    const fleet = run('fleet', ['-v', 'reset.yml']);
    expect(ansible.status).toBe(0);
    expect(fleet.status).toBe(ansible.status);
    expect(sortedSections(fleet.stdout)).toEqual(sortedSections(ansible.stdout));
    expect(recap(fleet.stdout)).toEqual(recap(ansible.stdout));
    for (const tool of [ansible, fleet]) {
      expect(section(tool.stdout, 'groups on the same connection').join('\n')).not.toContain(RESET_GROUP);
      expect(section(tool.stdout, 'groups on a new connection').join('\n')).toContain(`"stdout": "fleet-${RESET_HOST} ${RESET_GROUP}"`);
    }
  }, 120_000);

  /** Runs the playbook with refreshed.yml reset to `start` first, as each tool's run rewrites it. */
  function runRefreshing(tool: 'ansible' | 'fleet', playbook: string, start: string) {
    writeFileSync(join(project, 'refreshed.yml'), readFileSync(join(project, start), 'utf8'));
    return run(tool, [playbook], 'refreshed.yml');
  }

  it('refresh_inventory parses the sources again and applies add_host and group_by again: new hosts join groups, play hosts and the next play, not the running batch', () => {
    const ansible = runRefreshing('ansible', 'refresh_grow.yml', 'inventory_h70.yml');
    const fleet = runRefreshing('fleet', 'refresh_grow.yml', 'inventory_h70.yml');
    expect(ansible.status).toBe(0);
    expect(fleet.status).toBe(ansible.status);
    expect(sortedSections(fleet.stdout)).toEqual(sortedSections(ansible.stdout));
    expect(recap(fleet.stdout)).toEqual(recap(ansible.stdout));
    expect(warnings(fleet.stderr)).toEqual(warnings(ansible.stderr));
    for (const tool of [ansible, fleet]) {
      const after = section(tool.stdout, 'after the refresh').join('\n');
      expect(after).toContain(`'web': ['h70', 'h71', 'dyn1'], 'grouped': ['h70']} ['h70', 'h71', 'dyn1'] ['h70', 'h71', 'dyn1'] ['h70'] blue`);
      expect(section(tool.stdout, 'only the hosts the play started with').join('\n')).not.toContain('h71');
      expect(section(tool.stdout, 'every host of the refreshed inventory, the added one too')).toEqual(expect.arrayContaining([expect.stringMatching(/^changed: \[h71\]/), expect.stringMatching(/^changed: \[dyn1\]/)]));
    }
  }, 120_000);

  it('refresh_inventory takes a host the sources lost out of the running play and its later batches', () => {
    const ansible = runRefreshing('ansible', 'refresh_shrink.yml', 'inventory_both.yml');
    const fleet = runRefreshing('fleet', 'refresh_shrink.yml', 'inventory_both.yml');
    expect(ansible.status).toBe(0);
    expect(fleet.status).toBe(ansible.status);
    expect(sortedSections(fleet.stdout)).toEqual(sortedSections(ansible.stdout));
    expect(recap(fleet.stdout)).toEqual(recap(ansible.stdout));
    expect(warnings(fleet.stderr)).toEqual(warnings(ansible.stderr));
    for (const tool of [ansible, fleet]) {
      expect(section(tool.stdout, 'after the refresh').join('\n')).toContain(`"msg": "['h70'] ['h70'] ['h70']"`);
      expect(section(tool.stdout, 'h71 is in the inventory but not in this play').join('\n')).toContain(`"msg": "['h70', 'h71'] ['h70', 'h71'] ['h70']"`);
      expect(section(tool.stdout, 'h71 runs nothing more').join('\n')).not.toContain('h71]');
    }
  }, 120_000);
});
