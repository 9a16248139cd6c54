/**
 * The plays `fleet rollback` runs on the wizards. Every step goes through the deployed
 * deadman (roles/deadman_switch/files/deadman), the same restore path the switch itself and
 * playbooks/agent_startup.yml take; fleet only reads files around it.
 */
export const TASK = {
  list: 'fleet rollback: list the snapshots',
  current: 'fleet rollback: read config.yaml',
  snapshot: 'fleet rollback: read the snapshot',
  restore: 'fleet rollback: restore the snapshot',
  healthy: 'fleet rollback: wait for the agent to be healthy',
} as const;

const DEADMAN = ['{{ agent_bin_dir }}/deadman', '{{ agent_home }}/deadman.conf'];
/** Each host's snapshot name, from the play's vars: names never go into the template text. */
const TARGET = '{{ fleet_rollback_to[inventory_hostname] }}';

function play(name: string, hosts: string[], tasks: unknown[], vars: Record<string, unknown> = {}): unknown {
  // Facts are gathered: wizard_root may be rooted at ansible_user_dir (inventory/hosts.yml).
  return { name, hosts: hosts.join(','), gather_facts: true, vars, tasks };
}

/** Read-only: the snapshots and the current config.yaml (a missing one reads as empty). */
export function inspectPlay(hosts: string[]): unknown[] {
  return [
    play('fleet rollback: inspect', hosts, [
      { name: TASK.list, command: { argv: [...DEADMAN, 'list'] }, changed_when: false, check_mode: false },
      { name: TASK.current, slurp: { src: '{{ agent_config_file }}' }, failed_when: false },
    ]),
  ];
}

/** Read-only: the snapshot each host rolls back to, for the diff. */
export function readSnapshotPlay(targets: Record<string, string>): unknown[] {
  return [play('fleet rollback: read the snapshots', Object.keys(targets), [{ name: TASK.snapshot, slurp: { src: `{{ agent_snapshot_dir }}/${TARGET}/config.yaml` } }], { fleet_rollback_to: targets })];
}

/** The deadman restores the named snapshot, restarts the agent and logs the rollback row; then the agent must be healthy, as agent_startup requires. */
export function restorePlay(targets: Record<string, string>): unknown[] {
  return [
    play(
      'fleet rollback: restore',
      Object.keys(targets),
      [
        { name: TASK.restore, command: { argv: [...DEADMAN, 'restore', TARGET] } },
        {
          name: TASK.healthy,
          command: { argv: [...DEADMAN, 'check'] },
          register: 'fleet_rollback_health',
          until: 'fleet_rollback_health.rc == 0',
          retries: '{{ agent_start_timeout_seconds }}',
          delay: 1,
          changed_when: false,
        },
      ],
      { fleet_rollback_to: targets },
    ),
  ];
}
