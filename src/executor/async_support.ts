import type { ModuleDef } from '../modules/types.js';

/**
 * Actions whose Ansible action plugin leaves `_supports_async` False (every plugin in
 * plugins/action/ but command, shell, normal, package, reboot, service, uri and yum): ActionBase.run
 * fails them with this message when the task sets `async:`, before the action looks at its arguments.
 */
const ACTIONS_WITHOUT_ASYNC = new Set([
  'add_host',
  'assemble',
  'assert',
  'async_status',
  'copy',
  'debug',
  'fail',
  'fetch',
  'gather_facts',
  'group_by',
  'include_vars',
  'pause',
  'raw',
  'script',
  'set_fact',
  'set_stats',
  'template',
  'unarchive',
  'validate_argument_spec',
  'wait_for_connection',
]);

export const ASYNC_NOT_SUPPORTED = 'async is not supported for this task.';

/** ActionBase.run's next refusal, for an action that supports async run in check mode. */
export const ASYNC_IN_CHECK_MODE = 'check mode and async cannot be used on same task.';

export function refusesAsync(action: string): boolean {
  return ACTIONS_WITHOUT_ASYNC.has(action);
}

/** Task.poll's default (C.DEFAULT_POLL_INTERVAL). */
export const DEFAULT_POLL_SECONDS = 15;

/**
 * Why a task's `async:` cannot be honoured, checked when the playbook loads: a module fleet runs
 * as more than one script, or with controller-side work between them, has nothing to detach
 * (ModuleDef.asyncJob). Actions Ansible itself refuses are left to fail at run time as there;
 * `async: 0` is no job; an unknown module is reported on its own.
 */
export function asyncRefusal(def: ModuleDef | undefined, asyncValue: unknown): string | null {
  if (asyncValue === undefined || asyncValue === null || asyncValue === 0 || asyncValue === '0') return null;
  if (!def || refusesAsync(def.name) || def.asyncJob === true) return null;
  return `fleet cannot run '${def.name}' as an async job: fleet's ${def.name} runs as more than one script, the controller deciding each from the answer to the last, so there is no one script to leave running on the host; drop async:, or do this in a command or shell task`;
}
