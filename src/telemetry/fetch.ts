import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { CollectingSink } from '../audit/collecting_sink.js';
import { applyPlaybooks, type ApplyOptions } from '../executor/run_playbooks.js';
import { jsonDumps } from '../output/pyjson.js';
import type { HostResult } from '../output/events.js';
import { requestLogRowSchema, type TelemetryStore } from './store.js';

const SOURCE_TASK = 'fleet telemetry: request_log source';
const ROWS_TASK = 'fleet telemetry: request_log rows';
/** Rows copied per log per fetch; the next fetch continues after the last one. */
const BATCH = 50_000;

/** What one fetch copied from each host (a log shared by wizards on one machine is read once per wizard, stored once). */
export interface FetchReport {
  host: string;
  source?: string;
  added: number;
  error?: string;
}

/**
 * A read-only play on every wizard: name the host's log (`<address>:<request_log_db>`), then
 * `sqlite3 -readonly -json` its rows after the last id already copied from that log.
 */
function fetchPlay(hosts: string, lastIds: Record<string, number>): unknown[] {
  const source = "{{ ansible_host | default(inventory_hostname) }}:{{ request_log_db }}";
  return [
    {
      name: 'fleet telemetry: copy request_log rows',
      hosts,
      gather_facts: true,
      vars: { fleet_telemetry_source: source, fleet_telemetry_last_ids: lastIds },
      tasks: [
        { name: SOURCE_TASK, debug: { msg: '{{ fleet_telemetry_source }}' } },
        {
          name: ROWS_TASK,
          command: {
            argv: [
              'sqlite3',
              '-readonly',
              '-json',
              '{{ request_log_db }}',
              `SELECT * FROM request_log WHERE id > {{ fleet_telemetry_last_ids[fleet_telemetry_source] | default(0) | int }} ORDER BY id LIMIT ${BATCH};`,
            ],
          },
          check_mode: false,
          changed_when: false,
        },
      ],
    },
  ];
}

const plain = (value: unknown): unknown => JSON.parse(jsonDumps(value));

class FetchSink extends CollectingSink {
  readonly sources = new Map<string, string>();
  readonly outputs = new Map<string, string>();
  readonly errors = new Map<string, string>();

  hostResult(event: HostResult): void {
    if (event.status === 'unreachable' || event.status === 'failed') {
      this.errors.set(event.host, String(plain(event.result.msg ?? event.result.stderr ?? event.status)));
    } else if (event.task.name === SOURCE_TASK) this.sources.set(event.host, String(plain(event.result.msg)));
    else if (event.task.name === ROWS_TASK) this.outputs.set(event.host, String(plain(event.result.stdout ?? '')));
  }
}

/** Copies new request_log rows of every host in `hosts` into the store. */
export async function fetchRequestLogs(options: ApplyOptions, hosts: string, store: TelemetryStore): Promise<FetchReport[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-telemetry-'));
  try {
    const playbook = join(dir, 'fleet-telemetry.yml');
    writeFileSync(playbook, stringify(fetchPlay(hosts, store.lastIds())));
    const sink = new FetchSink();
    await applyPlaybooks({ ...options, playbooks: [playbook], check: false, diff: false }, sink);
    const hostNames = [...new Set([...sink.sources.keys(), ...sink.errors.keys()])].sort();
    return hostNames.map((host): FetchReport => {
      const error = sink.errors.get(host);
      const source = sink.sources.get(host);
      if (error !== undefined || source === undefined) return { host, added: 0, error: error ?? 'no source' };
      const text = sink.outputs.get(host)?.trim() ?? '';
      const rows = z.array(requestLogRowSchema).parse(text === '' ? [] : JSON.parse(text));
      return { host, source, added: store.insert(source, rows) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
