import type { HostStats } from '../output/events.js';
import type { PyDict } from '../template/values.js';

export type StatName = keyof HostStats;

/** Ansible's AggregateStats: per-host counters shown in PLAY RECAP. */
export class AggregateStats {
  readonly hosts = new Map<string, HostStats>();
  /** set_stats' custom stats: per host name, and the run's under `_run`. */
  readonly custom = new Map<string, PyDict>();

  increment(what: StatName, host: string): void {
    const stats = this.of(host);
    stats[what] += 1;
  }

  /** A host appears in the recap once it has been processed, even with all counters zero. */
  of(host: string): HostStats {
    let stats = this.hosts.get(host);
    if (!stats) {
      stats = { ok: 0, changed: 0, unreachable: 0, failures: 0, skipped: 0, rescued: 0, ignored: 0 };
      this.hosts.set(host, stats);
    }
    return stats;
  }
}
