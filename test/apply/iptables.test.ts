import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject, type ToolRun } from './local_project.js';

/**
 * ansible.builtin.iptables against ansible-playbook on a local connection, each tool in a
 * network namespace of its own (`unshare --net`: an empty firewall, and the machine's is never
 * touched). One play: a rule appended, then again (nothing to change), one inserted at a
 * rule_num (with `wait`, which reads iptables' version), one with several options (protocol,
 * port, ctstate, comment, interface, jump), logging options without a jump (LOG), a rule
 * removed (then again), a policy set then again, check mode (a rule and a policy, neither
 * applied), a chain made by chain_management, a rule added to it, flushed and deleted, an
 * absent chain, and failures: iptables' own (an unknown target), no chain, logging with
 * another jump. The output (-v), registered results, recap and each namespace's
 * `iptables-save` (counters and its dated comments dropped) are compared.
 */
const PLAY = `- hosts: testhost
  gather_facts: false
  tasks:
    - iptables: { chain: INPUT, source: 10.0.0.1, jump: DROP }
      register: appended
    - ansible.builtin.iptables: { chain: INPUT, source: 10.0.0.1, jump: DROP }
      register: appended_again
    - iptables: { chain: INPUT, source: 10.0.0.2, jump: ACCEPT, action: insert, rule_num: 1, wait: "2" }
      register: inserted
    - iptables:
        chain: INPUT
        protocol: tcp
        destination_port: "22"
        ctstate: [NEW, ESTABLISHED]
        comment: ssh in
        jump: ACCEPT
        in_interface: lo
      register: several
    - iptables: { chain: INPUT, protocol: tcp, match: [tcp], destination_ports: ["80", "443:445"], log_prefix: "web: ", log_level: info }
      register: logged
    - iptables: { chain: INPUT, source: 10.0.0.1, jump: DROP, state: absent }
      register: removed
    - iptables: { chain: INPUT, source: 10.0.0.1, jump: DROP, state: absent }
      register: removed_again
    - iptables: { chain: FORWARD, policy: DROP }
      register: policy
    - iptables: { chain: FORWARD, policy: DROP }
      register: policy_again
    - iptables: { chain: OUTPUT, destination: 192.0.2.9, source: 192.0.2.1, jump: REJECT, reject_with: tcp-reset, protocol: tcp }
      check_mode: true
      register: checked
    - iptables: { chain: OUTPUT, policy: DROP }
      check_mode: true
      register: checked_policy
    - iptables: { chain: FLEET, source: "!10.1.0.0/16", jump: RETURN, chain_management: true }
      register: chain_made
    - iptables: { chain: FLEET, source: 10.2.0.0/16, jump: RETURN, chain_management: true }
      register: chain_kept
    - iptables: { chain: FLEET, flush: true }
      register: flushed
    - iptables: { chain: FLEET, state: absent, chain_management: true }
      register: chain_deleted
    - iptables: { chain: NOSUCH, state: absent }
      register: chain_absent
    - iptables: { chain: INPUT, source: 10.0.0.5, jump: NOSUCHTARGET }
      register: bad_target
      ignore_errors: true
    - iptables: { source: 10.0.0.5 }
      register: no_chain
      ignore_errors: true
    - iptables: { chain: INPUT, log_prefix: x, jump: DROP }
      register: log_mismatch
      ignore_errors: true
    - shell: "iptables-save | sed -e '/^#/d' -e 's/ \\\\[[0-9]*:[0-9]*\\\\]$//' > '{{ playbook_dir }}/{{ tool }}.rules'"
      changed_when: false
      no_log: true
    - debug: { msg: "{{ [appended, appended_again, inserted, several, logged, removed, removed_again, policy, policy_again, checked, checked_policy, chain_made, chain_kept, flushed, chain_deleted, chain_absent, bad_target, no_chain, log_mismatch] }}" }
`;

const TOOLS = ['ansible', 'fleet'] as const;

describe('iptables on a local connection', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'iptables.yml': PLAY });
  });
  afterAll(() => project?.remove());

  it('adds, inserts, removes rules and sets policies and chains as ansible-playbook does', { timeout: 60_000 }, async ({ expect }) => {
    const [ansible, fleet] = (await Promise.all(TOOLS.map((tool) => project.runAsync(tool, ['iptables.yml', '-v', '-e', `tool=${tool}`], {}, ['unshare', '--net'])))) as [ToolRun, ToolRun];
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(fromFirstPlay(fleet.stdout).replaceAll('tool=fleet', 'tool=TOOL').replaceAll('/fleet.rules', '/TOOL.rules')).toBe(
      fromFirstPlay(ansible.stdout).replaceAll('tool=ansible', 'tool=TOOL').replaceAll('/ansible.rules', '/TOOL.rules'),
    );
    const rules = TOOLS.map((tool) => readFileSync(join(project.dir, `${tool}.rules`), 'utf8'));
    expect(rules[1]).toBe(rules[0]);
    expect(rules[0]).toContain('-A INPUT -s 10.0.0.2/32 -j ACCEPT');
    expect(rules[0]).toContain(':FORWARD DROP');
    expect(rules[0]).toContain(':OUTPUT ACCEPT');
    expect(rules[0]).not.toContain('FLEET');
    expect(ansible.stdout).toMatch(/ok=21 +changed=12 .*ignored=3/);
  });
});
