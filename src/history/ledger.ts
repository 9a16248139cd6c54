import type { Database, Statement } from 'better-sqlite3';
import type { HostStats, HostStatus } from '../output/events.js';

/** What is known about a run when it starts. */
export interface RunStart {
  command: string;
  who: string;
  startedAt: string;
  argv: string[];
  playbooks: string[];
  check: boolean;
  diff: boolean;
  verbosity: number;
}

export interface RunEnd {
  endedAt: string;
  exitCode: number;
  interrupted: boolean;
  error?: string;
  git: { commit: string; dirty: boolean } | null;
}

export interface RecordedEventRow {
  seq: number;
  kind: string;
  /** JSON text from codec.encodeValue, masked value by value. */
  payload: string;
}

export interface TaskResultRow {
  host: string;
  task: string;
  action: string;
  taskPath: string;
  status: HostStatus;
  changed: boolean;
  ignored: boolean;
  durationMs: number;
  msg: string | null;
  diff: string | null;
}

/**
 * The ledger's writes. Every text bound to a statement goes through `mask` here, the one
 * place between fleet and the file, so no column can carry a registered secret.
 */
export class HistoryLedger {
  private readonly insertRun: Statement;
  private readonly insertEvent: Statement;
  private readonly insertResult: Statement;
  private readonly insertStats: Statement;
  private readonly updateEnd: Statement;

  constructor(
    private readonly db: Database,
    private readonly mask: (text: string) => string,
  ) {
    this.insertRun = db.prepare(
      'INSERT INTO runs (command, who, started_at, argv, playbooks, check_mode, diff_mode, verbosity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertEvent = db.prepare('INSERT INTO events (run_id, seq, kind, payload) VALUES (?, ?, ?, ?)');
    this.insertResult = db.prepare(
      'INSERT INTO task_results (run_id, host, task, action, task_path, status, changed, ignored, duration_ms, msg, diff) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertStats = db.prepare(
      'INSERT OR REPLACE INTO host_stats (run_id, host, ok, changed, unreachable, failed, skipped, rescued, ignored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.updateEnd = db.prepare('UPDATE runs SET ended_at = ?, exit_code = ?, interrupted = ?, error = ?, git_commit = ?, git_dirty = ? WHERE id = ?');
  }

  private text(value: string): string;
  private text(value: string | null | undefined): string | null;
  private text(value: string | null | undefined): string | null {
    return value === null || value === undefined ? null : this.mask(value);
  }

  beginRun(run: RunStart): number {
    const info = this.insertRun.run(
      this.text(run.command),
      this.text(run.who),
      run.startedAt,
      this.text(JSON.stringify(run.argv.map((arg) => this.mask(arg)))),
      this.text(JSON.stringify(run.playbooks.map((file) => this.mask(file)))),
      flag(run.check),
      flag(run.diff),
      run.verbosity,
    );
    return Number(info.lastInsertRowid);
  }

  /** One transaction per batch, so a run costs a handful of commits rather than one per row. */
  writeBatch(runId: number, events: RecordedEventRow[], results: TaskResultRow[]): void {
    if (events.length === 0 && results.length === 0) return;
    this.db.transaction(() => {
      // Payloads were masked value by value when encoded; masking the JSON text again could cut through its syntax.
      for (const event of events) this.insertEvent.run(runId, event.seq, event.kind, event.payload);
      for (const row of results) {
        this.insertResult.run(
          runId,
          this.text(row.host),
          this.text(row.task),
          this.text(row.action),
          this.text(row.taskPath),
          row.status,
          flag(row.changed),
          flag(row.ignored),
          Math.round(row.durationMs),
          this.text(row.msg),
          this.text(row.diff),
        );
      }
    })();
  }

  writeStats(runId: number, stats: Map<string, HostStats>): void {
    this.db.transaction(() => {
      for (const [host, t] of stats) {
        this.insertStats.run(runId, this.text(host), t.ok, t.changed, t.unreachable, t.failures, t.skipped, t.rescued, t.ignored);
      }
    })();
  }

  endRun(runId: number, end: RunEnd): void {
    this.updateEnd.run(
      end.endedAt,
      end.exitCode,
      flag(end.interrupted),
      this.text(end.error),
      end.git ? this.text(end.git.commit) : null,
      end.git ? flag(end.git.dirty) : null,
      runId,
    );
  }
}

function flag(value: boolean): number {
  return value ? 1 : 0;
}
