import type { DiffEntry } from '../modules/types.js';
import type { PyDict } from '../template/values.js';
import type { DefaultCallbackOptions } from './callback_options.js';

/** What the output sinks know about a task (Ansible's callback gets the Task object). */
export interface TaskInfo {
  /** Unique per task occurrence in the run, so a sink can tell when the banner changes. */
  id: number;
  name: string;
  action: string;
  prefix: 'TASK' | 'RUNNING HANDLER';
  /** Whether the task runs in check mode, as the callback reads Task.check_mode (for check_mode_markers). */
  check: boolean;
  noLog: boolean;
  loop: boolean;
  /** file:line of the task, for `task path:` lines. */
  path: string;
  /** The name as written, untemplated (Task.__repr__'s, in show_per_host_start's lines); `name` when not given. */
  writtenName?: string;
  /**
   * The play runs the free or host_pinned strategy: hosts do the task at different times, so
   * the callback prints its banner before a result only, whenever another task's came between.
   */
  bannerOnResult?: boolean;
}

export const HOST_STATUSES = ['ok', 'changed', 'failed', 'skipped', 'unreachable'] as const;
export type HostStatus = (typeof HOST_STATUSES)[number];

export type ResultData = Record<string, unknown> & { diff?: DiffEntry | DiffEntry[] };

export interface HostResult {
  host: string;
  task: TaskInfo;
  status: HostStatus;
  result: ResultData;
  /** A failure that `ignore_errors` turned into `...ignoring`. */
  ignored: boolean;
  /** Where the task ran when delegated (shown as `[host -> other]`). */
  delegatedTo?: string;
  /** The delegated host's ansible_host, shown after it when it differs (`[h2 -> h1(10.0.0.1)]`). */
  delegatedAddress?: string;
  /** Whether `--diff` (or the task's `diff:`) asks for diffs. */
  showDiff: boolean;
}

export interface ItemResult extends HostResult {
  label: string;
}

/** A poll of an async job that has not finished (`poll`), or its end under `poll:` (`ok`, `failed`: its result before changed_when/failed_when). */
export interface AsyncJobEvent {
  kind: 'poll' | 'ok' | 'failed';
  host: string;
  jid: unknown;
  /** The poll's `started` and `finished`. */
  started?: unknown;
  finished?: unknown;
}

/** The key of the run's own custom stats (set_stats without per_host), as AggregateStats keys them. */
export const RUN_STATS = '_run';

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failures: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

/** Mirrors the Ansible callback hooks fleet's sinks implement (plugins/callback/default.py). */
export interface RunEvents {
  /** `plays`: how many plays the playbook holds and its path as given (PlaybookExecutor's "N plays in PATH"). */
  playbookStart(file: string, plays?: { count: number; path: string }): void;
  /** `checkMode`: the play's own check_mode (its banner's check_mode_markers), the run's --check when it sets none. */
  playStart(name: string, check: boolean, checkMode?: boolean): void;
  noHostsMatched(): void;
  noHostsRemaining(): void;
  taskStart(task: TaskInfo): void;
  /**
   * The default callback's options from an ansible.cfg read after the sink was made (fleet pull
   * reads its checkout's); optional, as only the text sink prints by them.
   */
  callbackOptions?(options: DefaultCallbackOptions): void;
  /** v2_runner_on_start: the task is queued for `host` (optional). */
  hostStart?(task: TaskInfo, host: string): void;
  hostResult(result: HostResult): void;
  itemResult(result: ItemResult): void;
  retry(result: HostResult & { retriesLeft: number }): void;
  included(file: string, hosts: string[], label?: string): void;
  /**
   * v2_playbook_on_notify: a change first notified `handler` (named as Task.get_name names it)
   * on `host`. Optional, as CallbackBase's hooks are: a sink without it ignores it.
   */
  handlerNotified?(handler: string, host: string): void;
  /** v2_runner_on_async_poll / _ok / _failed: a polled async job's progress on `host` (optional). */
  asyncJob?(event: AsyncJobEvent): void;
  /** The `META: …` line _execute_meta shows with Display.vv for a meta task the playbook wrote (optional). */
  metaDone?(header: string): void;
  /**
   * Shown once per run (Display.warning). `worker`: raised while one host runs one task, as in
   * Ansible's forked worker, whose Display has not seen the run's warnings: shown once per worker.
   */
  warning(message: string, worker?: string): void;
  /**
   * An error the run goes on after (Display.error with wrap_text=False, as the strategy shows an
   * include_role it cannot load): `report` is errorReport's text. Optional, as it is no callback hook.
   */
  error?(report: string): void;
  /**
   * A line shown with Display.display outside the callback: CLI.run's before the playbooks (the
   * version at -vv, the config file in use at -v), an action's while it runs (pause) (optional).
   */
  announce?(line: string): void;
  /** Display.error with its default wrap_text: `[ERROR]: message` after a newline, wrapped (optional). */
  wrappedError?(message: string): void;
  /** Hosts the running task still waits on (a live line on a terminal); empty when done. */
  waiting(hosts: string[]): void;
  /** `custom`: set_stats' custom stats, per host and the run's under `_run` (show_custom_stats prints them). */
  stats(stats: Map<string, HostStats>, check: boolean, custom?: ReadonlyMap<string, PyDict>): void;
  /** The run ended; sinks flush (the JSON sink prints here). */
  end(): void;
}
