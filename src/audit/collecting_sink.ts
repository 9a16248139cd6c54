import type { HostResult, ItemResult, RunEvents } from '../output/events.js';

/**
 * A sink that prints nothing and hands each host and item result to the audit: the audit
 * reads the executor's results instead of its output. Subclasses override what they need.
 */
export abstract class CollectingSink implements RunEvents {
  abstract hostResult(result: HostResult): void;
  itemResult(_result: ItemResult): void {}
  playbookStart(): void {}
  playStart(): void {}
  noHostsMatched(): void {}
  noHostsRemaining(): void {}
  taskStart(): void {}
  retry(): void {}
  included(): void {}
  warning(_message: string): void {}
  waiting(): void {}
  stats(): void {}
  end(): void {}
}

/** Prints the run's warnings and nothing else: the audit's report replaces the run's output. */
export class WarningsOnlySink extends CollectingSink {
  constructor(private readonly write: (message: string) => void) {
    super();
  }

  hostResult(): void {}

  override warning(message: string): void {
    this.write(message);
  }
}
