/** What `fleet audit` reports: one finding per problem on a live host. */

export const FINDING_KINDS = ['unreachable', 'failed', 'drift', 'identity', 'banned', 'cron', 'policy'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  /** Inventory host name; `*` for a problem of the whole run (a refused pre-flight). */
  host: string;
  kind: FindingKind;
  what: string;
  /** `file:line` on the host where meaningful (a file, a crontab line, a database row). */
  where?: string;
  /** Unified diff of what a converge would change (drift only; absent under no_log). */
  diff?: string;
}
