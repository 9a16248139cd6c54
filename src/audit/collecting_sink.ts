import type { HostResult, ItemResult, RunEvents } from '../output/events.js';

/**
 * A sink that prints nothing and hands each host and item result to the audit: the audit
 * reads the executor's results instead of its output. Subclasses override what they need.
 */
export abstract class CollectingSink implements RunEvents {
  constructor(private readonly warn: (message: string) => void = () => {}) {}

  abstract hostResult(result: HostResult): void;
  itemResult(_result: ItemResult): void {}
  playbookStart(): void {}
  playStart(): void {}
  noHostsMatched(): void {}
  noHostsRemaining(): void {}
  taskStart(): void {}
  retry(): void {}
  included(): void {}
  warning(message: string): void {
    this.warn(message);
  }
  waiting(): void {}
  stats(): void {}
  end(): void {}
}
