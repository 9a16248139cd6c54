import type { HostResult, HostStats, ItemResult, RunEvents, TaskInfo } from './events.js';
import { cleanCopy, isNoLogResult } from './clean_copy.js';
import { jsonDumps } from './pyjson.js';

interface JsonTask {
  task: { name: string; action: string; path: string };
  hosts: Record<string, Record<string, unknown>>;
}

interface JsonPlay {
  play: { name: string };
  tasks: JsonTask[];
}

/**
 * `--json`: one document at the end, shaped like Ansible's `json` stdout callback
 * (plays → tasks → hosts → result, then stats), with no_log results censored.
 */
export class JsonSink implements RunEvents {
  private readonly plays: JsonPlay[] = [];
  private readonly tasks = new Map<number, JsonTask>();
  private readonly warnings: string[] = [];
  private recap: Record<string, HostStats> = {};

  constructor(private readonly write: (text: string) => void) {}

  private currentPlay(): JsonPlay {
    let play = this.plays[this.plays.length - 1];
    if (!play) {
      play = { play: { name: '' }, tasks: [] };
      this.plays.push(play);
    }
    return play;
  }

  playbookStart(): void {}
  playStart(name: string): void {
    this.plays.push({ play: { name }, tasks: [] });
  }
  noHostsMatched(): void {}
  noHostsRemaining(): void {}
  taskStart(task: TaskInfo): void {
    const entry: JsonTask = { task: { name: task.name, action: task.action, path: task.path }, hosts: {} };
    this.tasks.set(task.id, entry);
    this.currentPlay().tasks.push(entry);
  }
  hostResult(event: HostResult): void {
    const entry = this.tasks.get(event.task.id);
    if (!entry) return;
    const clean = cleanCopy(event.result, event.task.action, isNoLogResult(event.result, event.task.noLog));
    const visible = Object.fromEntries(Object.entries(clean).filter(([key]) => !key.startsWith('_ansible_')));
    entry.hosts[event.host] = { ...visible, status: event.status, ...(event.ignored ? { ignored: true } : {}) };
  }
  itemResult(_event: ItemResult): void {}
  retry(): void {}
  included(): void {}
  waiting(): void {}
  warning(message: string): void {
    this.warnings.push(message);
  }
  stats(stats: Map<string, HostStats>): void {
    this.recap = Object.fromEntries(stats);
  }
  end(): void {
    this.write(jsonDumps({ plays: this.plays, stats: this.recap, warnings: this.warnings }, { indent: 4, ensureAscii: false }) + '\n');
  }
}
