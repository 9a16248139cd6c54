import type { AsyncJobEvent, HostResult, HostStats, ItemResult, RunEvents, TaskInfo } from '../output/events.js';
import { encodeValue } from './codec.js';
import type { HistoryLedger, RecordedEventRow, TaskResultRow } from './ledger.js';
import { ledgerView, taskResultRow } from './ledger_view.js';
import type { RecordedEvent } from './recorded_events.js';

const FLUSH_INTERVAL_MS = 250;

/**
 * The history ledger as a RunEvents sink: it sees the events the operator's sink sees, keeps
 * them (censored, masked) for `fleet history show`, and one queryable row per host and task.
 * Rows are buffered and written in one transaction at most every FLUSH_INTERVAL_MS (at a
 * task boundary) and when the run ends or is interrupted, so a fast run costs a couple of
 * commits and a crash loses at most that much of a slow one.
 */
export class HistoryRecorder implements RunEvents {
  private seq = 0;
  private events: RecordedEventRow[] = [];
  private results: TaskResultRow[] = [];
  private readonly taskStartedAt = new Map<number, number>();
  private lastFlush = performance.now();
  private closed = false;

  constructor(
    private readonly ledger: HistoryLedger,
    private readonly runId: number,
    private readonly mask: (text: string) => string,
    /** Told once when a write fails; the recorder then stops, because history never stops an apply. */
    private readonly onError: (error: unknown) => void,
  ) {}

  private record(event: RecordedEvent): void {
    if (this.closed) return;
    this.seq += 1;
    this.events.push({ seq: this.seq, kind: event.kind, payload: encodeValue(event, this.mask) });
  }

  /** Writes what is buffered; called between tasks, at the recap, and when the run stops. */
  flush(): void {
    if (this.closed) return;
    this.guarded(() => this.ledger.writeBatch(this.runId, this.events, this.results));
    this.events = [];
    this.results = [];
    this.lastFlush = performance.now();
  }

  private flushIfDue(): void {
    if (performance.now() - this.lastFlush >= FLUSH_INTERVAL_MS) this.flush();
  }

  private guarded(write: () => void): void {
    try {
      write();
    } catch (error) {
      this.closed = true;
      this.onError(error);
    }
  }

  /** Writes what is buffered and ignores later events (the run was interrupted and is being recorded as such). */
  close(): void {
    this.flush();
    this.closed = true;
  }

  playbookStart(file: string, plays?: { count: number; path: string }): void {
    this.record({ kind: 'playbookStart', file, ...(plays === undefined ? {} : { plays }) });
  }
  playStart(name: string, check: boolean): void {
    this.flushIfDue();
    this.record({ kind: 'playStart', name, check });
  }
  noHostsMatched(): void {
    this.record({ kind: 'noHostsMatched' });
  }
  noHostsRemaining(): void {
    this.record({ kind: 'noHostsRemaining' });
  }
  taskStart(task: TaskInfo): void {
    this.flushIfDue();
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
  handlerNotified(handler: string, host: string): void {
    this.record({ kind: 'handlerNotified', handler, host });
  }
  asyncJob(event: AsyncJobEvent): void {
    this.record({ kind: 'asyncJob', event });
  }
  metaDone(header: string): void {
    this.record({ kind: 'metaDone', header });
  }
  announce(line: string): void {
    this.record({ kind: 'announce', line });
  }
  wrappedError(message: string): void {
    this.record({ kind: 'wrappedError', message });
  }
  warning(message: string, worker?: string): void {
    this.record({ kind: 'warning', message, ...(worker === undefined ? {} : { worker }) });
  }
  waiting(): void {}
  stats(stats: Map<string, HostStats>, check: boolean): void {
    this.record({ kind: 'stats', stats: [...stats.entries()], check });
    this.flush();
    if (!this.closed) this.guarded(() => this.ledger.writeStats(this.runId, stats));
  }
  end(): void {
    this.flush();
  }
}
