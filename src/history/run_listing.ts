import type { HostStatus } from '../output/events.js';
import { textTable } from '../output/text_table.js';
import type { RunSummary } from './query.js';

const HEADERS = ['RUN', 'STARTED (UTC)', 'WHO', 'COMMIT', 'MODE', 'PLAYBOOKS', 'RESULT', 'HOSTS'];
// Worst first, as an operator scans for trouble.
const COUNT_ORDER: HostStatus[] = ['unreachable', 'failed', 'changed', 'ok', 'skipped'];

/** `fleet history`: one line per run, columns aligned; the last column is left ragged. */
export function runListingText(runs: RunSummary[]): string {
  const rows = runs.map((run) => [
    String(run.id),
    when(run.startedAt),
    run.who,
    run.commit === null ? '-' : `${run.commit.slice(0, 10)}${run.dirty ? '+dirty' : ''}`,
    mode(run),
    run.playbooks.join(',') || '-',
    run.result,
    hostCounts(run.hosts),
  ]);
  return textTable(HEADERS, rows);
}

/** `2026-11-27T01:50:30.123Z` → `2026-11-27 01:50:30`. */
export function when(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

function mode(run: RunSummary): string {
  const flags = [run.check ? 'check' : '', run.diff ? 'diff' : ''].filter(Boolean).join('+');
  return flags ? `${run.command} ${flags}` : run.command;
}

function hostCounts(hosts: Record<HostStatus, number>): string {
  const parts = COUNT_ORDER.filter((status) => hosts[status] > 0).map((status) => `${status}=${hosts[status]}`);
  return parts.length > 0 ? parts.join(' ') : '-';
}

/** The one-line description of a run that `fleet history show` prints before replaying it. */
export function runHeadline(run: RunSummary): string {
  const ended = run.endedAt ? ` to ${when(run.endedAt).slice(11)}` : '';
  const commit = run.commit === null ? 'no git commit' : `commit ${run.commit}${run.dirty ? ' (dirty tree)' : ''}`;
  const outcome = run.exitCode === null ? run.result : `${run.result}, exit ${run.exitCode}`;
  return `run ${run.id}: fleet ${run.argv.join(' ')} by ${run.who} at ${when(run.startedAt)}${ended} UTC, ${commit}, ${outcome}\n${run.error ? `error: ${run.error}\n` : ''}`;
}
