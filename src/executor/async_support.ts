/**
 * Actions whose Ansible action plugin leaves `_supports_async` False: ActionBase.run fails
 * them with this message when the task sets `async:` (plugins/action/__init__.py), before
 * the action looks at its arguments.
 */
const ACTIONS_WITHOUT_ASYNC = new Set(['assert', 'copy', 'debug', 'fail', 'include_vars', 'pause', 'raw', 'script', 'set_fact', 'template']);

export const ASYNC_NOT_SUPPORTED = 'async is not supported for this task.';

export function refusesAsync(action: string): boolean {
  return ACTIONS_WITHOUT_ASYNC.has(action);
}
