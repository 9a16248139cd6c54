import type { HostResult, RunEvents } from '../output/events.js';
import { pyStr } from '../template/python/index.js';
import type { PyValue } from '../template/values.js';

/**
 * Render's run output: nothing of Ansible's text, only what a reader of the scripts must
 * know — warnings, and hosts that failed or were unreachable (their later tasks are missing).
 */
export class RenderNotesSink implements RunEvents {
  readonly notes: string[] = [];

  hostResult(result: HostResult): void {
    if (result.status !== 'failed' && result.status !== 'unreachable') return;
    if (result.ignored) return;
    const message = result.result.msg;
    const why = message === undefined ? '' : `: ${pyStr(message as PyValue).split('\n')[0]}`;
    this.notes.push(`${result.host}: ${result.status} at ${result.task.name} (${result.task.path})${why}`);
  }

  warning(message: string): void {
    this.notes.push(`warning: ${message}`);
  }

  itemResult(): void {}
  playbookStart(): void {}
  playStart(): void {}
  noHostsMatched(): void {}
  noHostsRemaining(): void {}
  taskStart(): void {}
  retry(): void {}
  included(): void {}
  waiting(): void {}
  stats(): void {}
  end(): void {}
}
