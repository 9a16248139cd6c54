import type { ResultData } from './events.js';

// TaskResult.clean_copy (lib/ansible/executor/task_result.py): what every callback sees.
const IGNORE = ['failed', 'skipped'];
const PRESERVE = ['attempts', 'changed', 'retries'];
const KEPT_INTERNAL = new Set(['_ansible_verbose_always', '_ansible_item_label', '_ansible_no_log', '_ansible_verbose_override']);
const DELEGATED_KEYS = ['ansible_host', 'ansible_port', 'ansible_user', 'ansible_connection'];
export const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

/** Statuses travel as the event type, so the copy drops them; no_log results are censored. */
export function cleanCopy(result: ResultData, action: string, noLog: boolean): ResultData {
  let clean: ResultData;
  if (noLog || result._ansible_no_log === true) {
    clean = { censored: CENSORED };
    for (const key of PRESERVE) if (key in result) clean[key] = result[key];
  } else {
    clean = {};
    const ignore = action === 'debug' ? [...IGNORE, 'invocation'] : IGNORE;
    for (const [key, value] of Object.entries(result)) {
      if (ignore.includes(key)) continue;
      if (key.startsWith('_ansible_') && !KEPT_INTERNAL.has(key)) continue;
      clean[key] = value;
    }
  }
  const delegated = result._ansible_delegated_vars as Record<string, unknown> | undefined;
  if (delegated) {
    clean._ansible_delegated_vars = Object.fromEntries(DELEGATED_KEYS.filter((key) => key in delegated).map((key) => [key, delegated[key]]));
  }
  return clean;
}

/**
 * Whether a result must be censored: the task says no_log, the result does, or — as
 * TaskExecutor._run_loop folds each item's no_log into the task's — any loop item does.
 */
export function isNoLogResult(result: ResultData, taskNoLog: boolean): boolean {
  if (taskNoLog || result._ansible_no_log === true) return true;
  const items = result.results;
  return Array.isArray(items) && items.some((item: unknown) => typeof item === 'object' && item !== null && (item as ResultData)._ansible_no_log === true);
}
