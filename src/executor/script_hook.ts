import type { ExecResult } from '../connections/types.js';
import type { Args } from '../modules/argspec.js';
import type { TaskInfo } from '../output/events.js';
import type { Script } from '../shell/script.js';

/** One module script on its way to a host, as the executor is about to send it. */
export interface OutgoingScript {
  /** The host the task runs for. */
  host: string;
  task: TaskInfo;
  /** The module that built the script (`copy`, `setup`…). */
  module: string;
  /** The module's script, whose Secret parts say what must be masked. */
  script: Script;
  /**
   * The whole script the host's shell runs, as one text: the libraries (prelude and shell
   * functions, which a connection loads once and the wire then omits), environment and
   * become included.
   */
  text: string;
  /** The task's templated `no_log`. */
  noLog: boolean;
  /** The module's validated arguments. */
  args: Args;
  /** The module marked the script as one that only reads the host. */
  readOnly: boolean;
}

/**
 * Sees every module script before it is sent (`fleet render` records them; tests capture
 * what apply sends). A returned result stands in for running the script on the host.
 */
export type ScriptHook = (outgoing: OutgoingScript) => Promise<ExecResult> | undefined;
