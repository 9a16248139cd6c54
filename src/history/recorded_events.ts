import type { AsyncJobEvent, HostResult, HostStats, ItemResult, RunEvents } from '../output/events.js';
import type { TaskInfo } from '../output/events.js';

/**
 * One RunEvents call as the ledger stores it (the `events` table's payload), and how to play
 * it again. Every argument a sink may print is kept, so a replay at the run's verbosity
 * prints what the run printed (`N plays in PATH`, `NOTIFIED HANDLER`, `META:` at -vv); an
 * event recorded before a field was kept replays without it.
 */
export type RecordedEvent =
  | { kind: 'playbookStart'; file: string; plays?: { count: number; path: string } }
  | { kind: 'playStart'; name: string; check: boolean }
  | { kind: 'noHostsMatched' }
  | { kind: 'noHostsRemaining' }
  | { kind: 'taskStart'; task: TaskInfo }
  | { kind: 'hostResult'; event: HostResult }
  | { kind: 'itemResult'; event: ItemResult }
  | { kind: 'retry'; event: HostResult & { retriesLeft: number } }
  | { kind: 'included'; file: string; hosts: string[]; label?: string }
  | { kind: 'handlerNotified'; handler: string; host: string }
  | { kind: 'asyncJob'; event: AsyncJobEvent }
  | { kind: 'metaDone'; header: string }
  | { kind: 'announce'; line: string }
  | { kind: 'wrappedError'; message: string }
  | { kind: 'warning'; message: string; worker?: string }
  | { kind: 'stats'; stats: [string, HostStats][]; check: boolean };

/** Calls the sink method the event was recorded from. */
export function replayEvent(event: RecordedEvent, sink: RunEvents): void {
  switch (event.kind) {
    case 'playbookStart':
      return sink.playbookStart(event.file, event.plays);
    case 'playStart':
      return sink.playStart(event.name, event.check);
    case 'noHostsMatched':
      return sink.noHostsMatched();
    case 'noHostsRemaining':
      return sink.noHostsRemaining();
    case 'taskStart':
      return sink.taskStart(event.task);
    case 'hostResult':
      return sink.hostResult(event.event);
    case 'itemResult':
      return sink.itemResult(event.event);
    case 'retry':
      return sink.retry(event.event);
    case 'included':
      return sink.included(event.file, event.hosts, event.label);
    case 'handlerNotified':
      return sink.handlerNotified?.(event.handler, event.host);
    case 'asyncJob':
      return sink.asyncJob?.(event.event);
    case 'metaDone':
      return sink.metaDone?.(event.header);
    case 'announce':
      return sink.announce?.(event.line);
    case 'wrappedError':
      return sink.wrappedError?.(event.message);
    case 'warning':
      return sink.warning(event.message, event.worker);
    case 'stats':
      return sink.stats(new Map(event.stats), event.check);
  }
}
