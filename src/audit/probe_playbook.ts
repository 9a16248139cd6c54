import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { AGENT_PROCESSES_SCRIPT } from './agent_processes.js';

/**
 * The audit's probes, as a play the executor runs on every wizard: one `debug` that shows
 * the host's resolved vars (agent home, files, command, cron jobs) and read-only commands
 * (`cat`, `crontab -l`, `sqlite3 -readonly`, `ps`). The run is in check mode and only these
 * tasks opt out with `check_mode: false`, so nothing else could run for real.
 */

/** The group whose hosts run an agent (inventory/hosts.yml, sandbox/inventory.yml). */
const AGENT_GROUP = 'wizards';

/** The probe play's tag: the audit runs the site playbook's plays with it, so none of their tasks run. */
export const PROBE_TAG = 'fleet_audit_probe';

export const PROBES = {
  vars: 'fleet audit: resolved vars',
  config: 'fleet audit: config.yaml',
  env: 'fleet audit: .env',
  thinConfig: 'fleet audit: thin config',
  crontab: 'fleet audit: crontab',
  requestLog: 'fleet audit: request_log providers',
  processes: 'fleet audit: agent processes',
} as const;
export type ProbeName = keyof typeof PROBES;

// One row per distinct provider/model/endpoint: the policy is matched on the controller.
const REQUEST_LOG_QUERY =
  'SELECT provider, model, endpoint, count(*) AS row_count, min(id) AS first_id, max(id) AS last_id FROM request_log GROUP BY provider, model, endpoint ORDER BY first_id;';

const readOnly = (name: string, argv: string[], extra: Record<string, unknown> = {}) => ({
  name,
  command: { argv },
  check_mode: false,
  changed_when: false,
  failed_when: false,
  ...extra,
});

function probePlay(): unknown[] {
  return [
    {
      name: 'fleet audit probes (read-only)',
      hosts: AGENT_GROUP,
      gather_facts: true,
      tags: [PROBE_TAG],
      tasks: [
        {
          name: PROBES.vars,
          debug: {
            msg: {
              agent_name: '{{ agent_name }}',
              address: '{{ ansible_host | default(inventory_hostname) }}',
              user: '{{ ansible_user_id }}',
              agent_home: '{{ agent_home }}',
              config_file: '{{ agent_config_file }}',
              env_file: '{{ agent_env_file }}',
              thin_config_file: '{{ agent_thin_config_file }}',
              request_log_db: '{{ request_log_db }}',
              agent_command: '{{ agent_command }}',
              cron_jobs: "{{ wizard_cron_jobs | map(attribute='name') | list }}",
              // Every wizard of the inventory, whatever --limit says.
              wizards: `{{ groups['${AGENT_GROUP}'] }}`,
            },
          },
        },
        readOnly(PROBES.config, ['cat', '{{ agent_config_file }}']),
        readOnly(PROBES.env, ['cat', '{{ agent_env_file }}'], { no_log: true }),
        readOnly(PROBES.thinConfig, ['cat', '{{ agent_thin_config_file }}']),
        readOnly(PROBES.crontab, ['crontab', '-l']),
        readOnly(PROBES.requestLog, ['sqlite3', '-readonly', '-json', '{{ request_log_db }}', REQUEST_LOG_QUERY]),
        readOnly(PROBES.processes, ['sh', '-c', AGENT_PROCESSES_SCRIPT, 'sh', '{{ agent_home }}']),
      ],
    },
  ];
}

/** Writes the probe playbook into `dir`; returns its path. */
export function writeProbePlaybook(dir: string): string {
  const file = join(dir, 'fleet-audit-probes.yml');
  writeFileSync(file, stringify(probePlay()));
  return file;
}
