import type { HostResult, ResultData } from './events.js';
import { DEFAULT_RESULT_FORMAT } from './result_format.js';
import { commandOutput, pyText, ResultLinesSink } from './result_lines_text.js';

const oneLine = (text: string): string => text.replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/** oneline.py _command_generic_msg: stdout (and a non-empty stderr) with their line breaks escaped. */
function commandMessage(host: string, result: ResultData, caption: string): string {
  const head = `${host} | ${caption} | rc=${pyText(result.rc, '-1')} | (stdout) ${oneLine(pyText(result.stdout, ''))}`;
  return result.stderr ? `${head} (stderr) ${oneLine(pyText(result.stderr, ''))}` : head;
}

/**
 * The builtin `oneline` stdout callback (plugins/callback/oneline.py): one line per host and
 * task, results as JSON (it has no result_format option) with indent 0 and the newlines taken out.
 */
export class OnelineTextSink extends ResultLinesSink {
  override hostResult(event: HostResult): void {
    const { host, task } = event;
    const result = this.visible(event);
    const flat = (): string => this.dump(result, 0, DEFAULT_RESULT_FORMAT).replace(/\n/g, '');
    switch (event.status) {
      case 'failed':
        if (typeof result.exception === 'string') {
          if (commandOutput(task.action, result, 'module_stderr')) this.line(commandMessage(host, result, 'FAILED'), 'error');
          else this.line(this.exceptionMessage(result.exception), 'error');
        }
        this.line(`${host} | FAILED! => ${flat()}`, 'error');
        return;
      case 'unreachable':
        this.line(`${host} | UNREACHABLE!: ${pyText(result.msg, '')}`, 'unreachable');
        return;
      case 'skipped':
        this.line(`${host} | SKIPPED`, 'skip');
        return;
      default: {
        const changed = Boolean(result.changed);
        const state = changed ? 'CHANGED' : 'SUCCESS';
        if (commandOutput(task.action, result, 'ansible_job_id')) this.line(commandMessage(host, result, state), changed ? 'changed' : 'ok');
        else this.line(`${host} | ${state} => ${flat()}`, changed ? 'changed' : 'ok');
      }
    }
  }

  private exceptionMessage(exception: string): string {
    if (this.options.verbosity < 3) return `An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${exception.trim().split('\n').pop() ?? ''}`;
    return `An exception occurred during task execution. The full traceback is:\n${exception.replace(/\n/g, '')}`;
  }
}
