import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { CollectingSink } from '../audit/collecting_sink.js';
import { applyPlaybooks, type ApplyOptions } from '../executor/run_playbooks.js';
import { jsonDumps } from '../output/pyjson.js';
import type { HostResult, ResultData } from '../output/events.js';

/** What a generated play left: each host's results by task name, and why a host failed. */
export interface PlayOutcome {
  results: Map<string, Map<string, ResultData>>;
  errors: Map<string, string>;
  unreachable: Set<string>;
}

/** A result value as plain text (results hold template values such as Python strings). */
export function resultText(value: unknown): string {
  const plain: unknown = value === undefined ? '' : JSON.parse(jsonDumps(value));
  return typeof plain === 'string' ? plain : JSON.stringify(plain);
}

class OutcomeSink extends CollectingSink {
  readonly outcome: PlayOutcome = { results: new Map(), errors: new Map(), unreachable: new Set() };

  constructor(private readonly warn: (message: string) => void) {
    super();
  }

  hostResult(event: HostResult): void {
    if (event.status === 'unreachable') this.outcome.unreachable.add(event.host);
    if (event.status === 'unreachable' || event.status === 'failed') {
      const why = [event.result.stderr, event.result.msg].map(resultText).find((text) => text.trim() !== '');
      this.outcome.errors.set(event.host, `${event.task.name}: ${why?.trim() ?? event.status}`);
      return;
    }
    const tasks = this.outcome.results.get(event.host) ?? new Map<string, ResultData>();
    tasks.set(event.task.name, event.result);
    this.outcome.results.set(event.host, tasks);
  }

  override warning(message: string): void {
    this.warn(message);
  }
}

/**
 * Runs generated plays as if they sat beside the default playbook (options.playbooks[0]):
 * its group_vars and host_vars are linked next to them, so the fleet's variables
 * (agent_home, agent_bin_dir…) resolve as they do for site.yml.
 */
export async function runGeneratedPlays(options: ApplyOptions, plays: unknown[], warn: (message: string) => void): Promise<PlayOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-rollback-'));
  try {
    const beside = dirname(resolve(options.cwd, options.playbooks[0] ?? '.'));
    for (const vars of ['group_vars', 'host_vars']) if (existsSync(join(beside, vars))) symlinkSync(join(beside, vars), join(dir, vars));
    const playbook = join(dir, 'fleet-rollback.yml');
    writeFileSync(playbook, stringify(plays));
    const sink = new OutcomeSink(warn);
    await applyPlaybooks({ ...options, playbooks: [playbook], check: false, diff: false }, sink);
    return sink.outcome;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
