import { DefaultTextSink, type DisplayCall } from './default_text.js';
import type { DefaultCallbackOptions } from './callback_options.js';
import type { DisplayLog } from './display_log.js';

/**
 * The default callback's text as log_path records it: uncoloured (the recap's log-only line),
 * one record per Display.display call, without what Ansible shows on screen only (the blank
 * lines after the recap and custom stats, NOTIFIED HANDLER) and without what it shows in
 * COLOR_DEBUG (`task path:`, ASYNC POLL…), whose records are below the logger's INFO level.
 */
export class LogFileSink extends DefaultTextSink {
  constructor(log: DisplayLog, mask: (text: string) => string, options: { verbosity: number; terminalWidth: number; callback: DefaultCallbackOptions }) {
    const record = (text: string, call?: DisplayCall) => {
      if (call?.color === 'debug' || /^\n*$/.test(text)) return;
      log.record(mask(call?.endsWithNewline ? text : text.replace(/\n$/, '')));
    };
    super({ write: record, writeError: record, color: false, live: false, ...options });
  }

  override handlerNotified(): void {}
}
