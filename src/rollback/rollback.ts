import { createHash } from 'node:crypto';
import type { ApplyOptions } from '../executor/run_playbooks.js';
import { loadInventory } from '../inventory/index.js';
import { formatDiff } from '../output/default_text.js';
import { inspectPlay, readSnapshotPlay, restorePlay, TASK } from './play.js';
import { resultText, runGeneratedPlays, type PlayOutcome } from './run_play.js';
import { chooseSnapshot, parseSnapshotList, type Snapshot } from './snapshots.js';
import { rollbackHosts } from './targets.js';

export interface RollbackRequest {
  limit: string;
  /** A snapshot name (`--to`); the latest when absent. */
  to?: string;
  check: boolean;
  list: boolean;
}

export interface RollbackIO {
  out: (text: string) => void;
  err: (text: string) => void;
  color: boolean;
}

/** How the rollback ended, for the exit code: unreachable wins over failed, as in apply. */
export type RollbackStatus = 'ok' | 'failed' | 'unreachable';

/** One wizard as the inspection found it. */
interface Inspected {
  host: string;
  current: Buffer;
  snapshots: Snapshot[];
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const slurped = (outcome: PlayOutcome, host: string, task: string) => Buffer.from(resultText(outcome.results.get(host)?.get(task)?.content), 'base64');

/** Reports each failed host; the status of the whole step. */
function reportErrors(outcome: PlayOutcome, io: RollbackIO): RollbackStatus {
  for (const [host, why] of outcome.errors) io.err(`${host}: ${outcome.unreachable.has(host) ? 'UNREACHABLE' : 'FAILED'}: ${why}\n`);
  return outcome.unreachable.size > 0 ? 'unreachable' : outcome.errors.size > 0 ? 'failed' : 'ok';
}

function listText(wizards: Inspected[]): string {
  const lines: string[] = [];
  for (const { host, current, snapshots } of wizards) {
    lines.push(`${host}:`);
    if (snapshots.length === 0) lines.push('  (no snapshots)');
    snapshots.forEach((snapshot, index) => {
      const marks = [index === snapshots.length - 1 ? 'latest' : '', snapshot.sha256 === sha256(current) ? 'current config.yaml' : ''].filter(Boolean);
      lines.push(`  ${snapshot.name}  ${snapshot.sha256.slice(0, 12)}${marks.length > 0 ? `  (${marks.join(', ')})` : ''}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Each wizard's snapshot to restore, by host; wizards whose config.yaml already is it are
 * left out. Undefined (nothing may change) when a wizard lacks the snapshot asked for.
 */
function chooseTargets(wizards: Inspected[], to: string | undefined, io: RollbackIO): Record<string, string> | undefined {
  const targets: Record<string, string> = {};
  let missing = false;
  for (const { host, current, snapshots } of wizards) {
    const target = chooseSnapshot(host, snapshots, to);
    if (typeof target === 'string') {
      io.err(`${target}; nothing rolled back\n`);
      missing = true;
    } else if (target.sha256 === sha256(current)) io.out(`${host}: config.yaml already is snapshot ${target.name}; nothing to roll back\n`);
    else targets[host] = target.name;
  }
  return missing ? undefined : targets;
}

function showDiffs(wizards: Inspected[], targets: Record<string, string>, read: PlayOutcome, io: RollbackIO): void {
  for (const { host, current } of wizards) {
    const target = targets[host];
    if (target === undefined) continue;
    io.out(`${host}: config.yaml -> snapshot ${target}\n`);
    io.out(formatDiff({ before: current.toString('utf8'), after: slurped(read, host, TASK.snapshot).toString('utf8'), before_header: `${host} config.yaml`, after_header: `${host} snapshot ${target}` }, io.color));
  }
}

/**
 * `fleet rollback`: restore each named wizard's last-known-good (or named) config snapshot
 * through its deadman, after printing the diff; `check` stops after the diff. No host is
 * changed unless every named wizard was inspected and has the snapshot asked for.
 */
export async function rollback(options: ApplyOptions, request: RollbackRequest, io: RollbackIO): Promise<RollbackStatus> {
  const warn = (message: string) => io.err(`[WARNING]: ${message}\n`);
  const hosts = rollbackHosts(loadInventory(options.inventory, options.inventoryPolicy).inventory, request.limit, warn);
  const inspection = await runGeneratedPlays(options, inspectPlay(hosts), warn);
  const inspected = reportErrors(inspection, io);
  if (inspected !== 'ok') return inspected;
  const wizards = hosts.map((host): Inspected => ({
    host,
    current: slurped(inspection, host, TASK.current),
    snapshots: parseSnapshotList(resultText(inspection.results.get(host)?.get(TASK.list)?.stdout)),
  }));
  if (request.list) {
    io.out(listText(wizards));
    return 'ok';
  }
  const targets = chooseTargets(wizards, request.to, io);
  if (targets === undefined) return 'failed';
  const due = Object.keys(targets);
  if (due.length === 0) return 'ok';
  const read = await runGeneratedPlays(options, readSnapshotPlay(targets), warn);
  const readStatus = reportErrors(read, io);
  if (readStatus !== 'ok') return readStatus;
  showDiffs(wizards, targets, read, io);
  if (request.check) {
    for (const host of due) io.out(`${host}: would restore snapshot ${targets[host]} and restart the agent (check mode: nothing changed)\n`);
    return 'ok';
  }
  const restore = await runGeneratedPlays(options, restorePlay(targets), warn);
  for (const host of due) if (!restore.errors.has(host)) io.out(`${host}: restored snapshot ${targets[host]}; the agent restarted and is healthy\n`);
  return reportErrors(restore, io);
}
