/**
 * What ansible-core 2.14's StrategyBase._execute_meta knows about each `meta` action:
 * https://github.com/ansible/ansible/blob/v2.14.17/lib/ansible/plugins/strategy/__init__.py
 */
import type { ResultData } from '../output/events.js';

/** linear.py runs these once per host and announces each run; any other meta runs once, for the first host (run_once). */
export const META_PER_HOST = new Set(['noop', 'reset_connection', 'end_host', 'role_complete', 'flush_handlers']);

/** The hosts _execute_meta runs for: each of them, or the first alone for a run-once action. */
export function metaRunsFor<T>(meta: string, hosts: T[]): T[] {
  return META_PER_HOST.has(meta) ? hosts : hosts.slice(0, 1);
}

/** These never evaluate `when`: they run anyway, after a warning (_cond_not_supported_warn). */
export const META_WITHOUT_WHEN = new Set(['noop', 'refresh_inventory', 'reset_connection']);

/** How a skip of each action that evaluates `when` ends its skip_reason. */
const SKIP_REASON_ENDS = new Map<string, (host: string) => string>([
  ['flush_handlers', (host) => `not running handlers for ${host}`],
  ['clear_facts', (host) => `not clearing facts and fact cache for ${host}`],
  ['clear_host_errors', (host) => `not clearing host error state for ${host}`],
  ['end_batch', () => 'continuing current batch'],
  ['end_play', () => 'continuing play'],
  ['end_host', (host) => `continuing execution for ${host}`],
]);

export function isMetaAction(meta: string): boolean {
  return META_WITHOUT_WHEN.has(meta) || meta === 'role_complete' || SKIP_REASON_ENDS.has(meta);
}

/** Whether the action evaluates its `when` (role_complete neither evaluates nor warns). */
export function metaHasWhen(meta: string): boolean {
  return SKIP_REASON_ENDS.has(meta);
}

/** The result _execute_meta sends to v2_runner_on_skipped when `when` is false on `host`; the recap counts nothing. */
export function metaSkippedResult(meta: string, host: string): ResultData {
  // end_host keeps a msg of its own "for historical reasons" (a TODO in _execute_meta).
  const msg = meta === 'end_host' ? `end_host conditional evaluated to false, continuing execution for ${host}` : meta;
  return { msg, skipped: true, skip_reason: skipReason(meta, host) };
}

function skipReason(meta: string, host: string): string {
  return `${meta} conditional evaluated to False, ${SKIP_REASON_ENDS.get(meta)?.(host) ?? ''}`;
}

/** What _execute_meta reports as `msg` when the action runs on `host` (its `META:` line at -vv). */
const DONE_MESSAGES = new Map<string, (host: string) => string>([
  ['noop', () => 'noop'],
  ['flush_handlers', (host) => `triggered running handlers for ${host}`],
  ['refresh_inventory', () => 'inventory successfully refreshed'],
  ['clear_facts', () => 'facts cleared'],
  ['clear_host_errors', () => 'cleared host errors'],
  ['end_batch', () => 'ending batch'],
  ['end_play', () => 'ending play'],
  ['end_host', (host) => `ending play for ${host}`],
  ['reset_connection', () => 'reset connection'],
]);

/** The `META:` header of a meta task the playbook wrote: its skip_reason when skipped, else its msg (role_complete keeps its own name). */
export function metaHeader(meta: string, host: string, skipped: boolean): string {
  if (skipped) return skipReason(meta, host);
  return DONE_MESSAGES.get(meta)?.(host) ?? meta;
}
