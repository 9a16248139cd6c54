import type { HostStatus, ResultData } from '../output/events.js';
import { pyTruthy } from '../template/python/index.js';
import { PyDict, PyUnsafe, toPy, type PyValue } from '../template/values.js';

/** TaskResult.is_failed / is_changed / is_skipped, including loop results. */
export function isFailed(result: ResultData): boolean {
  if (result.failed_when_result !== undefined) return truthy(result.failed_when_result);
  return truthy(result.failed);
}

export function isUnreachable(result: ResultData): boolean {
  return truthy(result.unreachable);
}

export function isSkipped(result: ResultData): boolean {
  if (Array.isArray(result.results) && result.results.length > 0) {
    return (result.results as ResultData[]).every((item) => truthy(item.skipped));
  }
  return truthy(result.skipped);
}

export function isChanged(result: ResultData): boolean {
  return truthy(result.changed);
}

function truthy(value: unknown): boolean {
  if (value === undefined) return false;
  return pyTruthy(toPy(value));
}

export function statusOf(result: ResultData): HostStatus {
  if (isUnreachable(result)) return 'unreachable';
  if (isFailed(result)) return 'failed';
  if (isSkipped(result)) return 'skipped';
  return isChanged(result) ? 'changed' : 'ok';
}

/** C._ACTION_WITH_CLEAN_FACTS: actions whose results TaskExecutor leaves unwrapped. */
const CLEAN_FACTS_ACTIONS = new Set(['set_fact', 'include_vars']);

/**
 * What `register` stores: the result without `_ansible_*` keys and `invocation`, with its
 * text marked unsafe (TaskExecutor's wrap_var) so output like `{{ x }}` is never templated —
 * except for set_fact and include_vars, whose results Ansible does not wrap unless the task
 * raised before its action ran (TaskExecutor.run wraps that msg: it may quote a template).
 */
export function registeredValue(result: ResultData, action: string, raised = false): PyValue {
  const value = toPy(stripInternal(result, true));
  return CLEAN_FACTS_ACTIONS.has(action) && !raised ? value : unsafeDeep(value);
}

/**
 * `ansible_failed_result` in a rescue: the failed result as registered, but with its
 * `invocation`, since the strategy hands over TaskResult._result itself (strategy/__init__.py).
 */
export function failedResultValue(result: ResultData, action: string): PyValue {
  const value = registeredValue(result, action);
  if (result.invocation === undefined || !(value instanceof PyDict)) return value;
  value.set('invocation', unsafeDeep(toPy(result.invocation)));
  return value;
}

/** Ansible's wrap_var: every string inside becomes !unsafe text. */
export function unsafeDeep(value: PyValue): PyValue {
  if (typeof value === 'string') return new PyUnsafe(value);
  if (Array.isArray(value)) return value.map(unsafeDeep);
  if (value instanceof PyDict) return new PyDict([...value].map(([key, inner]) => [key, unsafeDeep(inner)]));
  return value;
}

function stripInternal(value: unknown, top: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => stripInternal(item, false));
  if (value && typeof value === 'object' && value.constructor === Object) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith('_ansible_') || (top && key === 'invocation')) continue;
      out[key] = stripInternal(inner, false);
    }
    return out;
  }
  return value;
}
