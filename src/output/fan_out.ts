import type { DefaultCallbackOptions } from './callback_options.js';
import type { PyDict } from '../template/values.js';
import type { AsyncJobEvent, HostResult, HostStats, ItemResult, RunEvents, TaskInfo } from './events.js';

/** Sends every event to several sinks in order (the operator's output first, then e.g. the history ledger). */
export class FanOutSink implements RunEvents {
  constructor(private readonly sinks: readonly RunEvents[]) {}

  playbookStart(file: string, plays?: { count: number; path: string }): void {
    for (const sink of this.sinks) sink.playbookStart(file, plays);
  }
  playStart(name: string, check: boolean, checkMode?: boolean): void {
    for (const sink of this.sinks) sink.playStart(name, check, checkMode);
  }
  noHostsMatched(): void {
    for (const sink of this.sinks) sink.noHostsMatched();
  }
  noHostsRemaining(): void {
    for (const sink of this.sinks) sink.noHostsRemaining();
  }
  taskStart(task: TaskInfo): void {
    for (const sink of this.sinks) sink.taskStart(task);
  }
  callbackOptions(options: DefaultCallbackOptions): void {
    for (const sink of this.sinks) sink.callbackOptions?.(options);
  }
  hostStart(task: TaskInfo, host: string): void {
    for (const sink of this.sinks) sink.hostStart?.(task, host);
  }
  hostResult(result: HostResult): void {
    for (const sink of this.sinks) sink.hostResult(result);
  }
  itemResult(result: ItemResult): void {
    for (const sink of this.sinks) sink.itemResult(result);
  }
  retry(result: HostResult & { retriesLeft: number }): void {
    for (const sink of this.sinks) sink.retry(result);
  }
  included(file: string, hosts: string[], label?: string): void {
    for (const sink of this.sinks) sink.included(file, hosts, label);
  }
  handlerNotified(handler: string, host: string): void {
    for (const sink of this.sinks) sink.handlerNotified?.(handler, host);
  }
  asyncJob(event: AsyncJobEvent): void {
    for (const sink of this.sinks) sink.asyncJob?.(event);
  }
  metaDone(header: string): void {
    for (const sink of this.sinks) sink.metaDone?.(header);
  }
  warning(message: string, worker?: string): void {
    for (const sink of this.sinks) sink.warning(message, worker);
  }
  error(report: string): void {
    for (const sink of this.sinks) sink.error?.(report);
  }
  announce(line: string): void {
    for (const sink of this.sinks) sink.announce?.(line);
  }
  wrappedError(message: string): void {
    for (const sink of this.sinks) sink.wrappedError?.(message);
  }
  waiting(hosts: string[]): void {
    for (const sink of this.sinks) sink.waiting(hosts);
  }
  stats(stats: Map<string, HostStats>, check: boolean, custom?: ReadonlyMap<string, PyDict>): void {
    for (const sink of this.sinks) sink.stats(stats, check, custom);
  }
  end(): void {
    for (const sink of this.sinks) sink.end();
  }
}
