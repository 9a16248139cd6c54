import { FleetError } from '../errors.js';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `--since`: a duration back from now (`30m`, `1h`, `7d`) or a UTC ISO-8601 time; returned
 * as request_log's timestamp text (`2026-01-31T12:00:00Z`), which compares as time.
 */
export function windowStart(since: string, now: Date): string {
  const duration = /^(\d+)([mhd])$/.exec(since);
  const start = duration ? new Date(now.getTime() - Number(duration[1]) * (UNIT_MS[duration[2] as string] as number)) : new Date(since);
  if (Number.isNaN(start.getTime()) || (!duration && !/^\d{4}-\d{2}-\d{2}/.test(since))) {
    throw new FleetError(`--since must be a duration like 30m, 1h, 7d or an ISO-8601 time, got ${since}`);
  }
  return start.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
