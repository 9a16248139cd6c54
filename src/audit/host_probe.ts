import { z } from 'zod';
import { jsonDumps } from '../output/pyjson.js';
import type { HostResult } from '../output/events.js';
import { CollectingSink } from './collecting_sink.js';
import type { Finding } from './findings.js';
import { PROBES, type ProbeName } from './probe_playbook.js';

/** What the probe play found on one host. */
export interface HostProbe {
  host: string;
  vars: ProbeVars;
  outputs: Partial<Record<Exclude<ProbeName, 'vars'>, CommandOutput>>;
}

export interface CommandOutput {
  rc: number;
  stdout: string;
  stderr: string;
}

const probeVarsSchema = z.object({
  agent_name: z.string(),
  address: z.string(),
  user: z.string(),
  agent_home: z.string(),
  config_file: z.string(),
  env_file: z.string(),
  thin_config_file: z.string(),
  request_log_db: z.string(),
  agent_command: z.string(),
  cron_jobs: z.array(z.string()),
  wizards: z.array(z.string()),
});
export type ProbeVars = z.infer<typeof probeVarsSchema>;

const commandOutputSchema = z.object({ rc: z.number(), stdout: z.string(), stderr: z.string() });

const probeByTask = new Map<string, ProbeName>(Object.entries(PROBES).map(([probe, task]) => [task, probe as ProbeName]));

/** Python values (unsafe text, dicts) as plain JSON data. */
const plain = (value: unknown): unknown => JSON.parse(jsonDumps(value));

/** Collects the probe play's results per host; a probe that could not run is a finding. */
export class ProbeSink extends CollectingSink {
  readonly findings: Finding[] = [];
  private readonly vars = new Map<string, ProbeVars>();
  private readonly outputs = new Map<string, HostProbe['outputs']>();

  hostResult(event: HostResult): void {
    if (event.status === 'unreachable') {
      this.findings.push({ host: event.host, kind: 'unreachable', what: String(event.result.msg ?? 'unreachable') });
      return;
    }
    const probe = probeByTask.get(event.task.name);
    if (probe === undefined) return;
    if (event.status === 'failed') {
      this.findings.push({ host: event.host, kind: 'failed', what: `${event.task.name}: ${event.task.noLog ? 'failed' : String(plain(event.result.msg ?? event.result.stderr ?? ''))}` });
      return;
    }
    if (probe === 'vars') this.vars.set(event.host, probeVarsSchema.parse(plain(event.result.msg)));
    else {
      const outputs = this.outputs.get(event.host) ?? {};
      outputs[probe] = commandOutputSchema.parse(plain({ rc: event.result.rc, stdout: event.result.stdout, stderr: event.result.stderr }));
      this.outputs.set(event.host, outputs);
    }
  }

  probes(): HostProbe[] {
    return [...this.vars].map(([host, vars]) => ({ host, vars, outputs: this.outputs.get(host) ?? {} }));
  }
}
