import { splitLinesKeepEnds, unifiedDiff } from './difflib.js';
import { stringc, type ColorName } from './colors.js';
import { RUN_STATS, type AsyncJobEvent, type HostResult, type HostStats, type ItemResult, type ResultData, type RunEvents, type TaskInfo } from './events.js';
import { DEFAULT_RESULT_FORMAT, serializeDiff, serializeResult, type ResultFormatOptions } from './result_format.js';
import { cleanCopy, isNoLogResult } from './clean_copy.js';
import type { DiffEntry } from '../modules/types.js';
import type { PyDict } from '../template/values.js';
import { displayedError } from '../errors_report.js';
import { wrappedErrorText, wrapText } from './textwrap.js';
import { DEFAULT_CALLBACK_OPTIONS, type DefaultCallbackOptions } from './callback_options.js';

/** The Display.display call a write stands for, as log_path records it: its colour (the record's level) and whether its message ended in a newline. */
export interface DisplayCall {
  color: ColorName | null;
  endsWithNewline?: boolean;
}

export interface TextSinkOptions {
  write(text: string, call?: DisplayCall): void;
  writeError(text: string, call?: DisplayCall): void;
  color: boolean;
  verbosity: number;
  /** Terminal width, or 0 when not a terminal (Ansible then uses 79 columns). */
  terminalWidth: number;
  /** Draw a live "waiting on" line (only on a terminal). */
  live?: boolean;
  /** ansible.cfg's options of the default callback (their defaults when not given). */
  callback?: DefaultCallbackOptions;
}

const DEBUG_ALLOWED_KEYS = new Set(['msg', 'exception', 'warnings', 'deprecations']);
const HIDE_IN_DEBUG = ['changed', 'failed', 'skipped', 'invocation', 'skip_reason'];

/** default.py prints nothing for an include's ok result or items (`isinstance(result._task, TaskInclude)`). */
function isInclude(task: TaskInfo): boolean {
  return task.action === 'include_tasks' || task.action === 'include_role';
}

/**
 * Ansible's default stdout callback (lib/ansible/plugins/callback/default.py and the base
 * class's _dump_results/_get_diff): same banners, result lines, JSON and diffs, so operators'
 * eyes and scripts carry over.
 */
export class DefaultTextSink implements RunEvents {
  private lastBanner: number | null = null;
  private readonly columns: number;
  private readonly warned = new Set<string>();
  private readonly errors = new Set<string>();

  private liveShown = false;
  protected readonly options: TextSinkOptions;
  protected callback: DefaultCallbackOptions;
  private readonly rawWrite: (text: string) => void;

  constructor(options: TextSinkOptions) {
    this.rawWrite = options.write;
    this.columns = Math.max(79, options.terminalWidth - 1);
    this.callback = options.callback ?? DEFAULT_CALLBACK_OPTIONS;
    // Every write first wipes the live line, so it never mixes into the output.
    this.options = {
      ...options,
      write: (text, call) => {
        this.clearLive();
        options.write(text, call);
      },
      writeError: (text, call) => {
        this.clearLive();
        options.writeError(text, call);
      },
    };
  }

  private clearLive(): void {
    if (!this.liveShown) return;
    this.liveShown = false;
    this.rawWrite('\r\x1b[K');
  }


  waiting(hosts: string[]): void {
    if (!this.options.live) return;
    this.clearLive();
    if (hosts.length === 0) return;
    const text = `  waiting on ${hosts.length} host${hosts.length === 1 ? '' : 's'}: ${hosts.join(', ')}`;
    this.rawWrite(text.length > this.columns ? `${text.slice(0, this.columns - 1)}…` : text);
    this.liveShown = true;
  }

  protected line(text: string, color: ColorName | null = null): void {
    this.options.write(displayed(text, color, this.options.color), { color, endsWithNewline: text.endsWith('\n') });
  }

  /** A failure's lines: on stderr when display_failed_stderr is set. */
  private failureLine(text: string, color: ColorName): void {
    if (!this.callback.displayFailedStderr) return this.line(text, color);
    this.options.writeError(displayed(text, color, this.options.color), { color, endsWithNewline: text.endsWith('\n') });
  }

  /** check_mode_markers: ` [CHECK MODE]` after the banners of plays and tasks that run in check mode. */
  private checkMarker(checkMode: boolean): string {
    return checkMode && this.callback.checkModeMarkers ? ' [CHECK MODE]' : '';
  }

  private banner(msg: string): void {
    const text = msg.trim();
    const stars = '*'.repeat(Math.max(3, this.columns - [...text].length));
    this.options.write(`\n${text} ${stars}\n`);
  }

  private ensureTaskBanner(task: TaskInfo): void {
    if (this.lastBanner !== task.id) this.printTaskBanner(task);
  }

  private printTaskBanner(task: TaskInfo): void {
    this.banner(`${task.prefix} [${task.name}]${this.checkMarker(task.check)}`);
    if (this.options.verbosity >= 2 && task.path) this.line(`task path: ${task.path}`, 'debug');
    this.lastBanner = task.id;
  }

  private playbookBanner(file: string, plays?: { count: number; path: string }): void {
    if (this.options.verbosity <= 1) return;
    this.banner(`PLAYBOOK: ${file.split('/').pop() ?? file}`);
    if (plays) this.line(`${plays.count} plays in ${plays.path}`);
  }

  playbookStart(file: string, plays?: { count: number; path: string }): void {
    this.playbookBanner(file, plays);
    if (this.callback.check && this.callback.checkModeMarkers) this.banner('DRY RUN');
  }

  playStart(name: string, _check: boolean, checkMode = false): void {
    this.banner(`${name.trim() ? `PLAY [${name.trim()}]` : 'PLAY'}${this.checkMarker(checkMode)}`);
  }

  noHostsMatched(): void {
    this.line('skipping: no hosts matched', 'skip');
  }

  noHostsRemaining(): void {
    this.banner('NO MORE HOSTS LEFT');
  }

  callbackOptions(options: DefaultCallbackOptions): void {
    this.callback = options;
  }

  /**
   * Hiding skipped or ok results defers the banner to the task's first result shown, so a task
   * that shows none has none; so does the free strategy (default.py's _task_start).
   */
  taskStart(task: TaskInfo): void {
    if (!task.bannerOnResult && this.callback.displaySkippedHosts && this.callback.displayOkHosts) this.printTaskBanner(task);
  }

  /** v2_runner_on_start: the task queued for `host`, as Task.__repr__ (Handler's) names it, untemplated. */
  hostStart(task: TaskInfo, host: string): void {
    if (!this.callback.showPerHostStart) return;
    this.line(` [started ${task.prefix === 'RUNNING HANDLER' ? 'HANDLER' : 'TASK'}: ${task.writtenName ?? task.name} on ${host}]`, 'ok');
  }

  private label(result: HostResult): string {
    if (!result.delegatedTo || result.delegatedTo === result.host) return result.host;
    const address = result.delegatedAddress && result.delegatedAddress !== result.delegatedTo ? `(${result.delegatedAddress})` : '';
    return `${result.host} -> ${result.delegatedTo}${address}`;
  }

  private isVerbose(result: ResultData, verbosity = 0): boolean {
    return (this.options.verbosity > verbosity || result._ansible_verbose_always === true) && result._ansible_verbose_override !== true;
  }

  /** `format`: the callback's result format (oneline has none of its own: JSON, not pretty). */
  protected dump(result: ResultData, indentGiven?: number, format: ResultFormatOptions = this.callback): string {
    const abridged: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(result)) {
      if (key.startsWith('_ansible_')) continue;
      if (key === 'exception') continue;
      if (this.options.verbosity < 3 && (key === 'invocation' || key === 'diff')) continue;
      abridged[key] = stripInternalKeys(value);
    }
    const how = { verbosity: this.options.verbosity, verboseAlways: result._ansible_verbose_always === true };
    return serializeResult(abridged, format, indentGiven === undefined ? how : { ...how, indent: indentGiven });
  }

  protected clean(result: ResultData, action: string): ResultData {
    if (action !== 'debug') return result;
    const cleaned: ResultData = { ...result };
    if ('msg' in cleaned) {
      for (const key of Object.keys(cleaned)) if (!DEBUG_ALLOWED_KEYS.has(key) && !key.startsWith('_')) delete cleaned[key];
    } else {
      for (const key of HIDE_IN_DEBUG) delete cleaned[key];
    }
    return cleaned;
  }

  protected warnings(result: ResultData): void {
    const warnings = result.warnings;
    if (Array.isArray(warnings)) for (const warning of warnings) this.warning(String(warning));
  }

  hostResult(event: HostResult): void {
    const { task } = event;
    const result = this.visible(event);
    if (event.showDiff) this.diff(event);
    switch (event.status) {
      case 'failed': {
        const cleaned = this.clean(result, task.action);
        this.ensureTaskBanner(task);
        this.exception(cleaned);
        this.warnings(cleaned);
        if (!(task.loop && 'results' in cleaned)) {
          if (this.options.verbosity < 2 && this.callback.showTaskPathOnFailure && task.path) this.line(`task path: ${task.path}`, 'debug');
          this.failureLine(`fatal: [${this.label(event)}]: FAILED! => ${this.dump(cleaned)}`, 'error');
        }
        if (event.ignored) this.line('...ignoring', 'skip');
        return;
      }
      case 'unreachable':
        this.ensureTaskBanner(task);
        this.failureLine(`fatal: [${this.label(event)}]: UNREACHABLE! => ${this.dump(result)}`, 'unreachable');
        if (event.ignored) this.line('...ignoring', 'skip');
        return;
      case 'skipped': {
        if (!this.callback.displaySkippedHosts) return;
        const cleaned = this.clean(result, task.action);
        this.ensureTaskBanner(task);
        let msg = `skipping: [${event.host}]`;
        if (this.isVerbose(cleaned)) msg += ` => ${this.dump(cleaned)}`;
        this.line(msg, 'skip');
        return;
      }
      default: {
        // An include's banner shows whatever display_ok_hosts says; a hidden ok result shows not even its warnings.
        if (!isInclude(task) && event.status === 'ok' && !this.callback.displayOkHosts) return;
        this.ensureTaskBanner(task);
        if (isInclude(task)) return;
        this.warnings(result);
        if (task.loop && 'results' in result) return;
        const changed = event.status === 'changed';
        const cleaned = this.clean(result, task.action);
        let msg = `${changed ? 'changed' : 'ok'}: [${this.label(event)}]`;
        if (this.isVerbose(cleaned)) msg += ` => ${this.dump(cleaned)}`;
        this.line(msg, changed ? 'changed' : 'ok');
      }
    }
  }

  itemResult(event: ItemResult): void {
    const { task } = event;
    const result = this.clean(this.visible(event), task.action);
    // The callback gets TaskResult.clean_copy(): a no_log result keeps neither `item` nor its label, so _get_item_label finds None.
    const label = event.result._ansible_no_log === true || task.noLog ? 'None' : event.label;
    if (event.status === 'failed') {
      this.ensureTaskBanner(task);
      this.exception(result);
      this.warnings(result);
      this.failureLine(`failed: [${this.label(event)}] (item=${label}) => ${this.dump(result)}`, 'error');
      return;
    }
    if (event.status === 'skipped') {
      if (!this.callback.displaySkippedHosts) return;
      this.ensureTaskBanner(task);
      let msg = `skipping: [${event.host}] => (item=${label}) `;
      if (this.isVerbose(result)) msg += ` => ${this.dump(result)}`;
      this.line(msg, 'skip');
      return;
    }
    if (isInclude(task)) return;
    const changed = event.status === 'changed';
    if (!changed && !this.callback.displayOkHosts) return;
    this.ensureTaskBanner(task);
    let msg = `${changed ? 'changed' : 'ok'}: [${this.label(event)}] => (item=${label})`;
    if (this.isVerbose(result)) msg += ` => ${this.dump(result)}`;
    this.line(msg, changed ? 'changed' : 'ok');
  }

  retry(event: HostResult & { retriesLeft: number }): void {
    let msg = `FAILED - RETRYING: [${this.label(event)}]: ${event.task.name} (${event.retriesLeft} retries left).`;
    // The callback gets TaskResult.clean_copy(), without `failed` (censored under no_log).
    if (this.isVerbose(event.result, 2)) msg += `Result was: ${this.dump(this.visible(event))}`;
    this.line(msg, 'debug');
  }

  included(file: string, hosts: string[], label?: string): void {
    let msg = `included: ${file} for ${hosts.join(', ')}`;
    if (label) msg += ` => (item=${label})`;
    this.line(msg, 'skip');
  }

  asyncJob(event: AsyncJobEvent): void {
    const str = (value: unknown): string => (value === undefined || value === null ? 'None' : typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value));
    const line =
      event.kind === 'poll'
        ? `ASYNC POLL on ${event.host}: jid=${str(event.jid)} started=${str(event.started)} finished=${str(event.finished)}`
        : `ASYNC ${event.kind === 'ok' ? 'OK' : 'FAILED'} on ${event.host}: jid=${str(event.jid)}`;
    this.line(line, 'debug');
  }

  handlerNotified(handler: string, host: string): void {
    if (this.options.verbosity >= 2) this.line(`NOTIFIED HANDLER ${handler} for ${host}`, 'verbose');
  }

  metaDone(header: string): void {
    if (this.options.verbosity >= 2) this.line(`META: ${header}`, 'verbose');
  }

  /** Display.warning: wrapped to the terminal's columns, and each distinct warning shown once (per worker). */
  warning(message: string, worker = ''): void {
    const text = wrapText(`[WARNING]: ${message}`, this.columns).join('\n');
    if (this.warned.has(`${worker}\0${text}`)) return;
    this.warned.add(`${worker}\0${text}`);
    this.options.writeError(stringc(text, 'warn', this.options.color) + '\n', { color: 'warn', endsWithNewline: true });
  }

  /** Display.error: unwrapped, each distinct one shown once. */
  error(report: string): void {
    const text = displayedError(report);
    if (this.errors.has(text)) return;
    this.errors.add(text);
    this.options.writeError(stringc(text.slice(0, -1), 'error', this.options.color) + '\n', { color: 'error' });
  }

  announce(line: string): void {
    this.options.write(`${line}\n`);
  }

  /** Display.error(wrap_text=True): textwrap turns the leading newline into the line's first space. */
  wrappedError(message: string): void {
    const text = wrappedErrorText(message, this.columns);
    this.options.writeError(stringc(text, 'error', this.options.color) + '\n', { color: 'error', endsWithNewline: true });
  }

  stats(stats: Map<string, HostStats>, check: boolean, custom?: ReadonlyMap<string, PyDict>): void {
    this.banner('PLAY RECAP');
    for (const host of [...stats.keys()].sort()) {
      const t = stats.get(host) as HostStats;
      const hostColor: ColorName = t.failures || t.unreachable ? 'error' : t.changed ? 'changed' : 'ok';
      const hostText = this.options.color ? stringc(host, hostColor, true).padEnd(37) : host.padEnd(26);
      const field = (lead: string, num: number, color: ColorName) => {
        const text = `${lead}=${String(num).padEnd(4)}`;
        return num !== 0 ? stringc(text, color, this.options.color) : text;
      };
      this.options.write(
        `${hostText} : ${field('ok', t.ok, 'ok')} ${field('changed', t.changed, 'changed')} ${field('unreachable', t.unreachable, 'unreachable')} ${field('failed', t.failures, 'error')} ${field('skipped', t.skipped, 'skip')} ${field('rescued', t.rescued, 'ok')} ${field('ignored', t.ignored, 'warn')}\n`,
      );
    }
    this.options.write('\n');
    if (custom && custom.size > 0 && this.callback.showCustomStats) this.customStats(custom);
    if (check && this.callback.checkModeMarkers) this.banner('DRY RUN');
  }

  /** The CUSTOM STATS section: each host's, then the run's, each dumped with indent 1 and its newlines taken out. */
  private customStats(custom: ReadonlyMap<string, PyDict>): void {
    this.banner('CUSTOM STATS: ');
    const flat = (stats: PyDict): string => this.dump(Object.fromEntries(stats) as ResultData, 1).replace(/\n/g, '');
    for (const host of [...custom.keys()].sort()) if (host !== RUN_STATS) this.line(`\t${host}: ${flat(custom.get(host) as PyDict)}`);
    const run = custom.get(RUN_STATS);
    if (run) {
      this.options.write('\n');
      this.line(`\tRUN: ${flat(run)}`);
    }
    this.options.write('\n');
  }

  end(): void {}

  protected visible(event: HostResult): ResultData {
    return cleanCopy(event.result, event.task.action, isNoLogResult(event.result, event.task.noLog));
  }

  private exception(result: ResultData): void {
    if (typeof result.exception !== 'string') return;
    const error = result.exception.trim().split('\n').pop() ?? '';
    this.failureLine(`An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${error}`, 'error');
  }

  private diff(event: HostResult): void {
    for (const entry of shownDiffs(this.visible(event), event.task.loop)) {
      const text = formatDiff(entry.diff as DiffEntry | DiffEntry[], this.options.color, this.callback);
      if (text) {
        this.ensureTaskBanner(event.task);
        // Display.display adds a newline only to text that does not end with one.
        this.options.write(text.endsWith('\n') ? text : `${text}\n`, { color: null, endsWithNewline: text.endsWith('\n') });
      }
    }
  }
}

/** The results whose diffs v2_on_file_diff shows: a changed result, or each changed item of a loop. */
export function shownDiffs(result: ResultData, loop: boolean): ResultData[] {
  if (loop && Array.isArray(result.results)) return (result.results as ResultData[]).filter((item) => item.diff && item.changed === true);
  return result.diff && result.changed === true ? [result] : [];
}

function stripInternalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripInternalKeys);
  if (value && typeof value === 'object' && value.constructor === Object) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (!key.startsWith('_ansible_')) out[key] = stripInternalKeys(inner);
    return out;
  }
  return value;
}

/** Ansible's CallbackBase._get_diff for before/after diffs. */
export function formatDiff(diff: DiffEntry | DiffEntry[], color: boolean, format: ResultFormatOptions = DEFAULT_RESULT_FORMAT): string {
  const out: string[] = [];
  for (const entry of Array.isArray(diff) ? diff : [diff]) {
    const extra = entry as DiffEntry & Record<string, unknown>;
    if ('dst_binary' in extra) out.push('diff skipped: destination file appears to be binary\n');
    if ('src_binary' in extra) out.push('diff skipped: source file appears to be binary\n');
    if ('dst_larger' in extra) out.push(`diff skipped: destination file size is greater than ${String(extra.dst_larger)}\n`);
    if ('src_larger' in extra) out.push(`diff skipped: source file size is greater than ${String(extra.src_larger)}\n`);
    if (entry.before !== undefined && entry.after !== undefined) {
      const before = diffText(entry.before, format);
      const after = diffText(entry.after, format);
      const beforeLines = splitLinesKeepEnds(before);
      const afterLines = splitLinesKeepEnds(after);
      markNoNewline(beforeLines);
      markNoNewline(afterLines);
      const lines = unifiedDiff(
        beforeLines,
        afterLines,
        entry.before_header !== undefined ? `before: ${entry.before_header}` : 'before',
        entry.after_header !== undefined ? `after: ${entry.after_header}` : 'after',
      );
      for (const line of lines) {
        const tint: ColorName | null = line.startsWith('+') ? 'diffAdd' : line.startsWith('-') ? 'diffRemove' : line.startsWith('@@') ? 'diffLines' : null;
        out.push(stringc(line, tint, color));
      }
      if (lines.length > 0) out.push('\n');
    }
    if (typeof extra.prepared === 'string') out.push(extra.prepared);
  }
  return out.join('');
}

function diffText(value: unknown, format: ResultFormatOptions): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return serializeDiff(value, format);
}

/** Display.display: a message's one trailing newline (a YAML result has one) is kept out of its colour, and it ends in exactly one. */
function displayed(text: string, color: ColorName | null, enabled: boolean): string {
  return `${stringc(text.endsWith('\n') ? text.slice(0, -1) : text, color, enabled)}\n`;
}

function markNoNewline(lines: string[]): void {
  const last = lines.length - 1;
  if (last >= 0 && !(lines[last] as string).endsWith('\n')) lines[last] += '\n\\ No newline at end of file\n';
}
