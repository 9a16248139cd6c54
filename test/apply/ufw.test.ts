import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject, type ToolRun } from './local_project.js';

/**
 * community.general.ufw (the bare `ufw` ansible-core 2.14 routes to it) against
 * ansible-playbook on a local connection, each tool inside `unshare --mount --net` (an empty
 * firewall of its own) with private copies of /etc/ufw, /etc/default/ufw and /lib/ufw bound
 * over the real ones and a tmpfs on /run (ufw's lock): the machine's firewall and /etc are
 * never touched.
 *
 * One play (tasks combine commands to keep it short; each ufw run costs a few tenths of a second):
 * check mode on enable, default deny and a new rule at once; an outgoing default with logging
 * medium while inactive (ufw reloads an active firewall for both); ssh allowed by app profile; a rule with a source, port, proto and comment;
 * limit from an IPv6 source on an interface; reject inserted at a position; a route rule between
 * two interfaces with log; check mode on deleting an IPv4 rule; enabling with ssh allowed by port
 * (then again: unchanged); logging medium again (unchanged: the active status shows it); that
 * rule deleted; an insert relative to the last
 * IPv4 rule, which ufw refuses (the module counts the IPv6 rule whose status line lacks "(v6)"
 * as IPv4); the module's own failure (interface_in and interface_out without route) and an
 * argument one (interface without direction); `ufw status verbose`, `iptables-save` and the user
 * rules saved; check mode on enabling the enabled firewall with an existing rule (ufw skips it:
 * nothing would change); reset, which disables the firewall.
 * Compared: the output (-v: each result's commands, msg and changed), the registered results,
 * the recap, and each namespace's saved state.
 */
const PLAY = `- hosts: testhost
  gather_facts: false
  vars:
    saved: "{{ playbook_dir }}/{{ tool }}-saved"
  tasks:
    - ufw: { state: enabled, policy: deny, rule: allow, port: "443", proto: tcp }
      check_mode: true
      register: enable_checked
    - community.general.ufw: { default: allow, direction: outgoing, logging: medium }
      register: outgoing
    - ufw: { rule: allow, name: OpenSSH }
    - ufw: { rule: allow, src: 10.0.0.0/8, port: "5432", proto: tcp, comment: postgres from the lan }
    - ufw: { rule: limit, direction: in, interface: lo, from: "2001:db8::/32", to_port: "25", proto: tcp }
    - ufw: { rule: reject, insert: 1, from: 198.51.100.7 }
      register: inserted
    - ufw: { rule: allow, route: true, interface_in: lo, interface_out: eth9, log: true, to_port: "8080", proto: tcp }
    - ufw: { rule: allow, src: 10.0.0.0/8, port: "5432", proto: tcp, delete: true }
      check_mode: true
      register: checked_delete
    - ufw: { state: enabled, rule: allow, port: "22", proto: tcp }
      register: enabled
    - ufw: { state: enabled, rule: allow, port: "22", proto: tcp }
      register: enabled_again
    - ufw: { logging: medium }
      register: logging_again
    - ufw: { rule: allow, port: "22", proto: tcp, delete: true }
      register: deleted
    - ufw: { rule: deny, insert: 0, insert_relative_to: last-ipv4, from: 203.0.113.0/24, to_port: "80", proto: tcp }
      register: inserted_last_ipv4
      ignore_errors: true
    - ufw: { rule: allow, interface_in: lo, interface_out: lo }
      register: not_routed
      ignore_errors: true
    - ufw: { rule: allow, interface: lo }
      register: no_direction
      ignore_errors: true
    - shell: >-
        ufw status verbose > '{{ saved }}/status';
        iptables-save | sed -e '/^#/d' -e 's/ \\[[0-9]*:[0-9]*\\]$//' > '{{ saved }}/iptables';
        cat /etc/ufw/user.rules /etc/ufw/user6.rules > '{{ saved }}/user.rules'
      changed_when: false
      no_log: true
    - ufw: { state: enabled, rule: allow, name: OpenSSH }
      check_mode: true
      register: enabled_checked
    - ufw: { state: reset }
      register: reset
    - debug: { msg: "{{ [enable_checked, outgoing, inserted, inserted_last_ipv4, checked_delete, enabled_again, logging_again, not_routed, no_direction, enabled_checked, reset] }}" }
`;

const TOOLS = ['ansible', 'fleet'] as const;
type Tool = (typeof TOOLS)[number];

/** The private copies of ufw's state bound over /etc/ufw, /etc/default/ufw and /lib/ufw in `tool`'s namespace. */
const COPIES = [
  ['/etc/ufw', 'etc-ufw'],
  ['/etc/default/ufw', 'etc-default-ufw'],
  ['/lib/ufw', 'lib-ufw'],
] as const;

function inOwnNamespace(project: LocalProject, tool: Tool): Promise<ToolRun> {
  const dir = join(project.dir, tool);
  for (const [path, copy] of COPIES) cpSync(path, join(dir, copy), { recursive: true, preserveTimestamps: true });
  mkdirSync(join(project.dir, `${tool}-saved`));
  const binds = COPIES.map(([path, copy]) => `mount --bind "$1/${copy}" ${path}`).join(' && ');
  const setUp = `${binds} && mount -t tmpfs tmpfs /run && shift && exec "$@"`;
  return project.runAsync(tool, ['ufw.yml', '-v', '-e', `tool=${tool}`], {}, ['unshare', '--mount', '--net', 'sh', '-c', setUp, 'sh', dir]);
}

const saved = (project: LocalProject, tool: Tool, name: string): string => readFileSync(join(project.dir, `${tool}-saved`, name), 'utf8');
const normalized = (run: ToolRun, tool: Tool): string => fromFirstPlay(run.stdout).replaceAll(`${tool}-saved`, 'TOOL-saved').replaceAll(`tool=${tool}`, 'tool=TOOL');

describe('ufw on a local connection', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'ufw.yml': PLAY });
  });
  afterAll(() => project?.remove());

  it('enables, sets defaults, adds, inserts, deletes rules, logs, resets as ansible-playbook does', { timeout: 90_000 }, async ({ expect }) => {
    const [ansible, fleet] = (await Promise.all(TOOLS.map((tool) => inOwnNamespace(project, tool)))) as [ToolRun, ToolRun];
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(fleet.status, fleet.stdout + fleet.stderr).toBe(0);
    expect(normalized(fleet, 'fleet')).toBe(normalized(ansible, 'ansible'));
    for (const name of ['status', 'iptables', 'user.rules']) expect(saved(project, 'fleet', name)).toBe(saved(project, 'ansible', name));
    // What the run went through, as ansible-playbook printed it and left the firewall.
    expect(ansible.stdout).toMatch(/ok=19 +changed=11 .*ignored=3/);
    expect(ansible.stdout).toContain("ERROR: Invalid position '6'");
    expect(ansible.stdout).toMatch(/"changed": false, "commands": \[[^\]]*"[^"]*ufw --dry-run allow from any to any app 'OpenSSH'"\]/);
    const status = saved(project, 'ansible', 'status');
    expect(status).toContain('Logging: on (medium)');
    expect(status).toContain('Default: deny (incoming), allow (outgoing), disabled (routed)');
    expect(status).toContain('OpenSSH');
    expect(status).toContain('# postgres from the lan');
    expect(saved(project, 'ansible', 'iptables')).toContain('-A ufw-user-input -s 10.0.0.0/8 -p tcp -m tcp --dport 5432 -j ACCEPT');
    expect(ansible.stdout).toContain('Only route rules can combine interface_in and interface_out');
    expect(ansible.stdout).toContain("missing parameter(s) required by 'interface': direction");
  });
});
