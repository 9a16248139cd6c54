import type { HostResult, HostStats, ItemResult, RunEvents, TaskInfo } from '../output/events.js';
import { encodeValue } from './codec.js';
import type { HistoryLedger, RecordedEventRow, TaskResultRow } from './ledger.js';
import { ledgerView, taskResultRow } from './ledger_view.js';
import type { RecordedEvent } from './recorded_events.js';

/**
 * The history ledger as a RunEvents sink: it sees the events the operator's sink sees, keeps
 * them (censored, masked) for `fleet history show`, and one queryable row per host and task.
 * Rows are buffered and written one transaction per task, so the run never waits on SQLite
 * for more than a commit between tasks.
 */
export class HistoryRecorder implements RunEvents {
  private seq = 0;
  private events: RecordedEventRow[] = [];
  private results: TaskResultRow[] = [];
  private readonly taskStartedAt = new Map<number, number>();

  constructor(
    private readonly ledger: HistoryLedger,
    private readonly runId: number,
    private readonly mask: (text: string) => string,
  ) {}

  private closed = false;

  private record(event: RecordedEvent): void {
    if (this.closed) return;
    this.seq += 1;
    this.events.push({ seq: this.seq, kind: event.kind, payload: encodeValue(event, this.mask) });
  }

  /** Writes what is buffered; called between tasks, at the recap, and when the run stops. */
  flush(): void {
    if (this.closed) return;
    this.ledger.writeBatch(this.runId, this.events, this.results);
    this.events = [];
    this.results = [];
  }

  /** Writes what is buffered and ignores later events (the run was interrupted and is being recorded as such). */
  close(): void {
    this.flush();
    this.closed = true;
  }

  playbookStart(file: string): void {
    this.record({ kind: 'playbookStart', file });
  }
  playStart(name: string, check: boolean): void {
    this.flush();
    this.record({ kind: 'playStart', name, check });
  }
  noHostsMatched(): void {
    this.record({ kind: 'noHostsMatched' });
  }
  noHostsRemaining(): void {
    this.record({ kind: 'noHostsRemaining' });
  }
  taskStart(task: TaskInfo): void {
    this.flush();
    this.taskStartedAt.set(task.id, performance.now());
    this.record({ kind: 'taskStart', task });
  }
  hostResult(result: HostResult): void {
    if (this.closed) return;
    const event = ledgerView(result);
    const started = this.taskStartedAt.get(event.task.id);
    this.record({ kind: 'hostResult', event });
    this.results.push(taskResultRow(event, started === undefined ? 0 : performance.now() - started));
  }
  itemResult(result: ItemResult): void {
    this.record({ kind: 'itemResult', event: ledgerView(result) });
  }
  retry(result: HostResult & { retriesLeft: number }): void {
    this.record({ kind: 'retry', event: ledgerView(result) });
  }
  included(file: string, hosts: string[], label?: string): void {
    this.record({ kind: 'included', file, hosts, ...(label === undefined ? {} : { label }) });
  }
  warning(message: string): void {
    this.record({ kind: 'warning', message });
  }
  waiting(): void {}
  stats(stats: Map<string, HostStats>, check: boolean): void {
    this.record({ kind: 'stats', stats: [...stats.entries()], check });
    this.flush();
    if (!this.closed) this.ledger.writeStats(this.runId, stats);
  }
  end(): void {
    this.flush();
  }
}
