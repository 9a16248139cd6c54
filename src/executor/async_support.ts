/**
 * Actions whose Ansible action plugin leaves `_supports_async` False: ActionBase.run fails
 * them with this message when the task sets `async:` (plugins/action/__init__.py), before
 * the action looks at its arguments.
 */
const ACTIONS_WITHOUT_ASYNC = new Set(['assert', 'async_status', 'copy', 'debug', 'fail', 'include_vars', 'pause', 'raw', 'script', 'set_fact', 'template', 'validate_argument_spec']);

export const ASYNC_NOT_SUPPORTED = 'async is not supported for this task.';

/** ActionBase.run's next refusal, for an action that supports async run in check mode. */
export const ASYNC_IN_CHECK_MODE = 'check mode and async cannot be used on same task.';

/**
 * The modules fleet runs as async jobs: their whole work is one script whose records the
 * module reads afterwards, so the script can run detached and be read back by async_status.
 */
const ASYNC_JOB_MODULES = new Set(['command', 'shell']);

export function refusesAsync(action: string): boolean {
  return ACTIONS_WITHOUT_ASYNC.has(action);
}

export function runsAsAsyncJob(action: string): boolean {
  return ASYNC_JOB_MODULES.has(action);
}

/** Task.poll's default (C.DEFAULT_POLL_INTERVAL). */
export const DEFAULT_POLL_SECONDS = 15;

/**
 * Why a task's `async:` cannot be honoured, checked when the playbook loads: a module fleet runs
 * as more than one script, or with controller-side work between them, has nothing to detach.
 * Actions Ansible itself refuses are left to fail at run time as there; `async: 0` is no job.
 */
export function asyncRefusal(action: string, asyncValue: unknown, known: (action: string) => boolean): string | null {
  if (asyncValue === undefined || asyncValue === null || asyncValue === 0 || asyncValue === '0') return null;
  if (!known(action) || refusesAsync(action) || runsAsAsyncJob(action)) return null;
  return `fleet cannot run '${action}' as an async job (it runs ${[...ASYNC_JOB_MODULES].join(' and ')} asynchronously); drop async: or use a command or shell task`;
}
