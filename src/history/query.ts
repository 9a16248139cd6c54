import type { Database } from 'better-sqlite3';
import { HOST_STATUSES, type HostStatus } from '../output/events.js';
import { decodeValue } from './codec.js';
import type { RecordedEvent } from './recorded_events.js';

export interface RunSummary {
  id: number;
  command: string;
  who: string;
  startedAt: string;
  endedAt: string | null;
  commit: string | null;
  dirty: boolean | null;
  argv: string[];
  playbooks: string[];
  check: boolean;
  diff: boolean;
  verbosity: number;
  exitCode: number | null;
  interrupted: boolean;
  error: string | null;
  /** ok, failed, unreachable, error, interrupted, or running (no end recorded: still going, or killed). */
  result: string;
  /** Hosts by the worst thing that happened to them in the run. */
  hosts: Record<HostStatus, number>;
}

export interface RunFilter {
  host?: string;
  status?: HostStatus;
  limit?: number;
}

interface RunRow {
  id: number;
  command: string;
  who: string;
  started_at: string;
  ended_at: string | null;
  git_commit: string | null;
  git_dirty: number | null;
  argv: string;
  playbooks: string;
  check_mode: number;
  diff_mode: number;
  verbosity: number;
  exit_code: number | null;
  interrupted: number;
  error: string | null;
}

// An ignored failure counts as ok, as in the recap.
const FAILED_FOR_REAL = "(t.status != 'failed' OR t.ignored = 0)";

const HOST_OUTCOMES = `
  SELECT host, MAX(CASE
    WHEN status = 'unreachable' THEN 4
    WHEN status = 'failed' AND ignored = 0 THEN 3
    WHEN status = 'changed' THEN 2
    WHEN status IN ('ok', 'failed') THEN 1
    ELSE 0 END) AS rank
  FROM task_results t WHERE run_id = ? GROUP BY host`;
const RANKED: HostStatus[] = ['skipped', 'ok', 'changed', 'failed', 'unreachable'];

/** Runs newest first; `host` keeps runs that touched it, `status` runs where (that host) had a task end so. */
export function listRuns(db: Database, filter: RunFilter = {}): RunSummary[] {
  const rows = db
    .prepare(
      `SELECT r.* FROM runs r
       WHERE (@host IS NULL OR EXISTS (SELECT 1 FROM task_results t WHERE t.run_id = r.id AND t.host = @host))
         AND (@status IS NULL OR EXISTS (SELECT 1 FROM task_results t WHERE t.run_id = r.id AND (@host IS NULL OR t.host = @host) AND t.status = @status AND ${FAILED_FOR_REAL}))
       ORDER BY r.started_at DESC, r.id DESC
       LIMIT @limit`,
    )
    .all({ host: filter.host ?? null, status: filter.status ?? null, limit: filter.limit ?? -1 }) as RunRow[];
  const outcomes = db.prepare(HOST_OUTCOMES);
  return rows.map((row) => summary(row, outcomes.all(row.id) as { host: string; rank: number }[]));
}

export function findRun(db: Database, id: number): RunSummary | undefined {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return row ? summary(row, db.prepare(HOST_OUTCOMES).all(id) as { host: string; rank: number }[]) : undefined;
}

/** The run's events in the order the operator's sink saw them. */
export function runEvents(db: Database, id: number): RecordedEvent[] {
  const rows = db.prepare('SELECT payload FROM events WHERE run_id = ? ORDER BY seq').all(id) as { payload: string }[];
  return rows.map((row) => decodeValue(row.payload) as RecordedEvent);
}

function summary(row: RunRow, outcomes: { host: string; rank: number }[]): RunSummary {
  const hosts = Object.fromEntries(HOST_STATUSES.map((status) => [status, 0])) as Record<HostStatus, number>;
  for (const outcome of outcomes) hosts[RANKED[outcome.rank] as HostStatus] += 1;
  return {
    id: row.id,
    command: row.command,
    who: row.who,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    commit: row.git_commit,
    dirty: row.git_dirty === null ? null : row.git_dirty === 1,
    argv: JSON.parse(row.argv) as string[],
    playbooks: JSON.parse(row.playbooks) as string[],
    check: row.check_mode === 1,
    diff: row.diff_mode === 1,
    verbosity: row.verbosity,
    exitCode: row.exit_code,
    interrupted: row.interrupted === 1,
    error: row.error,
    result: resultOf(row),
    hosts,
  };
}

function resultOf(row: RunRow): string {
  if (row.interrupted === 1) return 'interrupted';
  if (row.ended_at === null || row.exit_code === null) return 'running';
  // A malformed file ends the run with 4, as an unreachable host does.
  if (row.error !== null) return 'error';
  return { 0: 'ok', 2: 'failed', 4: 'unreachable' }[row.exit_code] ?? 'error';
}
