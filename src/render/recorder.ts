import type { ExecResult } from '../connections/types.js';
import type { OutgoingScript, ScriptHook } from '../executor/script_hook.js';
import { SecretRegistry } from '../secrets/registry.js';
import { maskedScript } from './mask.js';

/** One task's scripts for one host, masked, in the order the executor built them. */
export interface RenderedTask {
  name: string;
  /** `file:line` of the task. */
  path: string;
  module: string;
  scripts: string[];
  /** Whether every script ran on the host (read-only) rather than being only recorded. */
  ran: boolean;
  /** Per script, whether it ran on the host: a module may read for real, then have its write only recorded. */
  scriptsRan: boolean[];
}

/**
 * Modules whose scripts only read the host. Render runs them for real, so facts, stat and
 * slurp results and wait_for's polling are what apply would see and the scripts of later
 * tasks are built from them, as in apply. Other modules mark the scripts that only read
 * (cron reading the crontab, lineinfile reading the file) and render runs those too, so
 * the write it records is the one apply would send.
 */
const READ_ONLY_MODULES: ReadonlySet<string> = new Set(['setup', 'gather_facts', 'stat', 'slurp', 'wait_for']);

/** What the host is taken to answer to a script render does not run: success, no records, so the module reports no change. */
const UNCHANGED: ExecResult = { rc: 0, stdout: '', stderr: '' };

/**
 * The script hook of `fleet render`: records every outgoing script per host and task
 * (masked), lets read-only modules run, and answers every other script in the host's place
 * so nothing on the host changes.
 */
export class ScriptRecorder {
  private readonly byHost = new Map<string, RenderedTask[]>();
  private readonly lastTaskId = new Map<string, number>();

  constructor(private readonly runSecrets: SecretRegistry = new SecretRegistry()) {}

  readonly hook: ScriptHook = (outgoing: OutgoingScript) => {
    const ran = READ_ONLY_MODULES.has(outgoing.module) || outgoing.readOnly;
    this.record(outgoing, ran);
    return ran ? undefined : Promise.resolve(UNCHANGED);
  };

  private record(outgoing: OutgoingScript, ran: boolean): void {
    let tasks = this.byHost.get(outgoing.host);
    if (!tasks) this.byHost.set(outgoing.host, (tasks = []));
    let task = tasks.at(-1);
    // A new task occurrence (not the next script or loop item of the same one) starts a new entry.
    if (!task || this.lastTaskId.get(outgoing.host) !== outgoing.task.id) {
      task = { name: outgoing.task.name, path: outgoing.task.path, module: outgoing.module, scripts: [], ran, scriptsRan: [] };
      tasks.push(task);
      this.lastTaskId.set(outgoing.host, outgoing.task.id);
    }
    task.scripts.push(maskedScript(outgoing, this.runSecrets));
    task.scriptsRan.push(ran);
    task.ran &&= ran;
  }

  /** Recorded tasks by host, hosts in the order they first sent a script. */
  tasks(): Map<string, RenderedTask[]> {
    return this.byHost;
  }
}
