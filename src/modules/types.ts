import type { SourceLocation } from '../errors.js';
import type { Script } from '../shell/script.js';
import type { Userland } from '../shell/userland.js';
import type { Templar } from '../template/index.js';
import type { PyDict, PyValue } from '../template/values.js';
import type { Args, ArgSpec } from './argspec.js';
import type { Invocation } from './invocation.js';

/** What a module script reported: its `fleet_emit` records, plus the raw process result. */
export interface RemoteOutput {
  rc: number;
  /** Decoded `KEY=BASE64` records in order; a key emitted several times has several values. */
  fields: Map<string, string[]>;
  /** stdout lines that were not records (a module script should print none). */
  stray: string;
  stderr: string;
  timedOut: boolean;
}

/** A unified-diff input, as Ansible modules return it under `diff`. */
export interface DiffEntry {
  before: string;
  after: string;
  before_header?: string;
  after_header?: string;
}

/**
 * A module's result with Ansible's return keys (`changed`, `failed`, `msg`, `rc`,
 * `stdout`…); converted to a Python dict for `register`.
 */
export type ModuleResult = Record<string, unknown> & {
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
  msg?: string;
  diff?: DiffEntry | DiffEntry[];
};

export interface ModuleContext {
  host: string;
  userland: Userland;
  /** Gathered facts (`ansible_facts`), or an empty dict when facts were not gathered. */
  facts: PyDict;
  check: boolean;
  diff: boolean;
  /** Templates with this host's variables (the `template` action, `copy` with templated content). */
  templar: Templar;
  /**
   * Finds a controller-side file the way Ansible's `_find_needle` does: the role's
   * `files/` or `templates/` directory first, then the playbook directory. Null if absent.
   */
  findFile(kind: 'files' | 'templates' | 'vars' | 'tasks', path: string): string | null;
  /**
   * Runs a module script on the host (the prelude is added), one round trip. `readOnly`: the
   * script only looks (a module reading before it decides what to write), so `fleet render`
   * may run it for real.
   */
  remote(script: Script, options?: { timeoutMs?: number; readOnly?: boolean }): Promise<RemoteOutput>;
  /**
   * For actions that open the connection themselves (`connectsItself`): the host's next
   * remote() logs in anew, as `meta: reset_connection` makes the next task do; rejects with
   * the connection's error when the login fails.
   */
  reconnect?(): Promise<void>;
  /** The connection plugin the host's task runs through (the reboot action refuses `local`). */
  transport?(): 'local' | 'ssh';
  /** The task's action as written (`reboot`, `ansible.builtin.reboot`): Ansible's messages name it so. */
  action?: string;
  /** Where the task was written, for messages. */
  task: { name: string; at: SourceLocation };
  /** The task's arguments as the action sees them (self._task.args): templated, before the module's aliases and defaults. */
  taskArgs?: PyDict;
  /** Display.display from an action while it runs (pause's countdown lines): a line on the run's output. */
  display?(line: string): void;
  /** Display.warning from an action while it runs. */
  warn?(message: string): void;
  /** Variables of the task (for controller-side actions such as debug/set_fact/assert). */
  vars: { get(name: string): PyValue | undefined };
  /** ANSIBLE_ASYNC_DIR / [defaults] async_dir when set: where async jobs keep their files (ansible_async_dir beats it). */
  asyncDir?: string;
}

export interface ModuleDef {
  /** Short name (`copy`); `ansible.builtin.copy` and `ansible.legacy.copy` resolve to it. */
  name: string;
  aliases?: readonly string[];
  spec: ArgSpec;
  /** Free-form modules take `command: ls -l` text as `_raw_params` (command, shell, raw, script…). */
  freeForm?: boolean;
  /** False: in check mode the task is skipped as Ansible skips modules without check mode support. */
  supportsCheckMode: boolean;
  /** Controller-only actions (debug, set_fact, assert…) never contact the host. */
  controllerOnly?: boolean;
  /**
   * The action logs in itself, through ctx.reconnect() (wait_for_connection): the host is not
   * connected before it runs, so a host that cannot be reached is the action's to wait for,
   * not UNREACHABLE.
   */
  connectsItself?: boolean;
  /**
   * run() sends at most one script, built from its arguments alone (nothing read from the host
   * first): a loop's items can then all be sent before the first answers (run_task.ts).
   */
  oneScript?: boolean;
  /**
   * On every path run() sends at most one script, built from its arguments and the task's
   * context, and afterwards only reads that script's records: the script can run detached as
   * an `async:` job, and run() given the records the job left rebuilds the module's result
   * (async_task.ts, async_status.ts). A module that sends more than one script, or works on
   * the controller between them, is refused `async:` when the playbook loads.
   */
  asyncJob?: boolean;
  /** The action hands its command to the connection as written: the task's `environment` is ignored, with a warning when one is set (raw). */
  ignoresEnvironment?: boolean;
  /** Runs once per task, on the first host, as if `run_once` were set (an action's BYPASS_HOST_LOOP: add_host, pause). */
  bypassHostLoop?: boolean;
  /**
   * Options Ansible's module takes that fleet does not implement (declared in `spec` with their
   * defaults, so the invocation shows them): a task giving one is refused when the playbook
   * loads, or when it runs if the value was a template (unimplemented.ts).
   */
  unimplementedOptions?: readonly string[];
  /** Arguments handed over as written, for actions that template them themselves (Task.untemplated_args). */
  untemplatedArgs?: readonly string[];
  /**
   * The result's `invocation` when run() sets none: by default the module's own parameters
   * (paramsInvocation); a function for an action that runs another module with other
   * arguments; false for actions that run no module (raw, script, fetch) or only on the controller.
   */
  invocation?: false | ((given: PyDict, args: Args) => Invocation | null);
  run(args: Args, ctx: ModuleContext): Promise<ModuleResult>;
}
