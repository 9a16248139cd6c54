import { colorEnabled } from '../output/colors.js';
import { DefaultTextSink } from '../output/default_text.js';
import { MinimalTextSink } from '../output/minimal_text.js';
import { OnelineTextSink } from '../output/oneline_text.js';
import type { DefaultCallbackOptions } from '../output/callback_options.js';
import type { RunEvents } from '../output/events.js';
import { JsonSink } from '../output/json_sink.js';
import { DisplayLog } from '../output/display_log.js';
import { FanOutSink } from '../output/fan_out.js';
import { LogFileSink } from '../output/log_file_sink.js';

/** Where a run's events are printed: ansible-playbook's text on the terminal or a pipe, or one JSON report. */
export function sinkFor(json: boolean, verbosity: number, callback?: DefaultCallbackOptions): RunEvents {
  if (json) return new JsonSink((text) => process.stdout.write(text));
  const Sink = callback?.stdoutCallback === 'minimal' ? MinimalTextSink : callback?.stdoutCallback === 'oneline' ? OnelineTextSink : DefaultTextSink;
  return new Sink({
    write: (text) => process.stdout.write(text),
    writeError: (text) => process.stderr.write(text),
    color: colorEnabled(process.stdout, process.env),
    verbosity,
    terminalWidth: process.stdout.isTTY ? process.stdout.columns : 0,
    live: process.stdout.isTTY === true && process.env.TERM !== 'dumb',
    ...(callback ? { callback } : {}),
  });
}

/**
 * The text sink, and Ansible's log_path file beside it when one is set (not for --json, whose
 * report is no Display output). The log is a file that outlives the run, so the run's secrets
 * are masked in it as in the history ledger.
 */
export function loggedSinkFor(json: boolean, verbosity: number, callback: DefaultCallbackOptions, logPath: string | null, mask: (text: string) => string): RunEvents {
  const screen = sinkFor(json, verbosity, callback);
  const log = logPath === null || json ? null : DisplayLog.open(logPath, process.env, (text) => process.stderr.write(text));
  if (log === null) return screen;
  return new FanOutSink([screen, new LogFileSink(log, mask, { verbosity, terminalWidth: process.stdout.isTTY ? process.stdout.columns : 0, callback })]);
}
