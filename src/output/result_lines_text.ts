import { DefaultTextSink } from './default_text.js';
import type { ResultData } from './events.js';

/** C.MODULE_NO_JSON with their internal FQCNs: the actions minimal and oneline print as command output. */
const COMMAND_ACTIONS = new Set(
  ['command', 'win_command', 'ansible.windows.win_command', 'shell', 'win_shell', 'ansible.windows.win_shell', 'raw'].flatMap((name) =>
    name.includes('.') ? [name] : [name, `ansible.builtin.${name}`, `ansible.legacy.${name}`],
  ),
);

/** Whether the callback prints `result` as a command's output: a command action, and (ok) no async job or (failed) no module_stderr. */
export const commandOutput = (action: string, result: ResultData, marker: 'ansible_job_id' | 'module_stderr'): boolean => COMMAND_ACTIONS.has(action) && !(marker in result);

/** Python's `%s` of a result value the callbacks print as text (`result.get(key, default)`). */
export const pyText = (value: unknown, fallback: string): string => (value === undefined ? fallback : value === null ? 'None' : String(value));

/**
 * What the minimal and oneline stdout callbacks share: CallbackBase's hooks, which print
 * nothing, for all but the per-host results (no banners, no items, retries, includes or recap).
 */
export abstract class ResultLinesSink extends DefaultTextSink {
  override playbookStart(): void {}
  override playStart(): void {}
  override noHostsMatched(): void {}
  override noHostsRemaining(): void {}
  override taskStart(): void {}
  override hostStart(): void {}
  override itemResult(): void {}
  override retry(): void {}
  override included(): void {}
  override asyncJob(): void {}
  override handlerNotified(): void {}
  override metaDone(): void {}
  override stats(): void {}
}
