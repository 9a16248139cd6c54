import { applyPlaybooks, type ApplyOptions } from '../executor/run_playbooks.js';
import { cleanCopy } from '../output/clean_copy.js';
import { formatDiff } from '../output/default_text.js';
import type { HostResult, ItemResult, ResultData, RunEvents } from '../output/events.js';
import { FanOutSink } from '../output/fan_out.js';
import type { DiffEntry } from '../modules/types.js';
import { pyStr } from '../template/index.js';
import { toPy } from '../template/values.js';
import { CollectingSink } from './collecting_sink.js';
import type { Finding } from './findings.js';

/**
 * Drift: what a check-mode converge with --diff would change, per host. The executor runs
 * the playbooks as `fleet apply --check --diff` would; this sink keeps every changed task
 * (or loop item) with its diff, every failure and every unreachable host. Results of
 * no_log tasks keep their name but never their diff (it would show the secret).
 */
class DriftSink extends CollectingSink {
  readonly findings: Finding[] = [];

  hostResult(event: HostResult): void {
    const clean = cleanCopy(event.result, event.task.action, event.task.noLog);
    if (event.status === 'unreachable') this.findings.push({ host: event.host, kind: 'unreachable', what: messageOf(event.result) });
    else if (event.status === 'failed' && !event.ignored) this.findings.push({ host: event.host, kind: 'failed', what: `${event.task.name}: ${messageOf(clean)}` });
    else if (event.status === 'changed' && !event.task.loop) this.findings.push(driftFinding(event, clean, event.task.name));
  }

  override itemResult(event: ItemResult): void {
    if (event.status !== 'changed') return;
    const clean = cleanCopy(event.result, event.task.action, event.task.noLog);
    this.findings.push(driftFinding(event, clean, event.task.noLog ? event.task.name : `${event.task.name} (item=${event.label})`));
  }
}

function driftFinding(event: HostResult, clean: ResultData, what: string): Finding {
  const finding: Finding = { host: event.host, kind: 'drift', what };
  const where = whereOf(clean);
  if (where !== undefined) finding.where = where;
  if (clean.diff !== undefined) {
    const diff = formatDiff(clean.diff, false);
    if (diff !== '') finding.diff = diff;
  }
  return finding;
}

/** The file a change is about: the module's `dest`/`path`, else the diff's header. */
function whereOf(result: ResultData): string | undefined {
  for (const key of ['dest', 'path']) if (typeof result[key] === 'string') return result[key];
  const diffs: DiffEntry[] = result.diff === undefined ? [] : Array.isArray(result.diff) ? result.diff : [result.diff];
  return diffs.map((entry) => entry.after_header ?? entry.before_header).find((header) => header !== undefined);
}

function messageOf(result: ResultData): string {
  const message = result.msg ?? result.censored ?? result.stderr;
  return message === undefined ? 'no message' : pyStr(toPy(message)).trim();
}

/** Runs the playbooks in check mode with diffs (nothing on the hosts is written); `events` see the run too. */
export async function driftFindings(options: ApplyOptions, events: RunEvents): Promise<Finding[]> {
  const sink = new DriftSink();
  await applyPlaybooks({ ...options, check: true, diff: true }, new FanOutSink([sink, events]));
  return sink.findings;
}
