import { formatDiff } from './default_text.js';
import type { DiffEntry } from '../modules/types.js';
import type { HostResult, ResultData } from './events.js';
import { commandOutput, pyText, ResultLinesSink } from './result_lines_text.js';

/** minimal.py _command_generic_msg: the command's rc, then its stdout, stderr and msg run together. */
function commandMessage(host: string, result: ResultData, caption: string): string {
  return `${host} | ${caption} | rc=${pyText(result.rc, '-1')} >>\n${pyText(result.stdout, '')}${pyText(result.stderr, '')}${pyText(result.msg, '')}\n`;
}

/** The builtin `minimal` stdout callback (plugins/callback/minimal.py): `host | STATE => result` per task, results dumped with indent 4. */
export class MinimalTextSink extends ResultLinesSink {
  override hostResult(event: HostResult): void {
    const { host, task } = event;
    const result = this.visible(event);
    if (event.showDiff && result.diff) {
      const text = formatDiff(result.diff as DiffEntry | DiffEntry[], this.options.color, this.callback);
      if (text) this.options.write(text.endsWith('\n') ? text : `${text}\n`, { color: null, endsWithNewline: text.endsWith('\n') });
    }
    switch (event.status) {
      case 'failed':
        this.exceptionLine(result);
        this.warnings(result);
        if (commandOutput(task.action, result, 'module_stderr')) this.line(commandMessage(host, result, 'FAILED'), 'error');
        else this.line(`${host} | FAILED! => ${this.dump(result, 4)}`, 'error');
        return;
      case 'unreachable':
        this.line(`${host} | UNREACHABLE! => ${this.dump(result, 4)}`, 'unreachable');
        return;
      case 'skipped':
        this.line(`${host} | SKIPPED`, 'skip');
        return;
      default: {
        const cleaned = this.clean(result, task.action);
        this.warnings(cleaned);
        const changed = Boolean(cleaned.changed);
        const state = changed ? 'CHANGED' : 'SUCCESS';
        if (commandOutput(task.action, cleaned, 'ansible_job_id')) this.line(commandMessage(host, cleaned, state), changed ? 'changed' : 'ok');
        else this.line(`${host} | ${state} => ${this.dump(cleaned, 4)}`, changed ? 'changed' : 'ok');
      }
    }
  }

  /** CallbackBase._handle_exception, on stdout. */
  private exceptionLine(result: ResultData): void {
    if (typeof result.exception !== 'string') return;
    if (this.options.verbosity < 3) {
      const error = result.exception.trim().split('\n').pop() ?? '';
      this.line(`An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${error}`, 'error');
    } else this.line(`The full traceback is:\n${result.exception}`, 'error');
  }
}
