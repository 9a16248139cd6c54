import { cleanCopy, isNoLogResult } from '../output/clean_copy.js';
import { formatDiff, shownDiffs } from '../output/default_text.js';
import type { HostResult, ItemResult } from '../output/events.js';
import { jsonDumps } from '../output/pyjson.js';
import type { DiffEntry } from '../modules/types.js';
import type { TaskResultRow } from './ledger.js';

const CENSORED_LABEL = '(censored due to no_log)';

/**
 * An event as the ledger keeps it: a no_log result (task, result or any loop item, as
 * Ansible folds them) is replaced by its censored clean copy before it leaves memory, and
 * the task is marked no_log so a replay prints it censored too. Other results stay whole so
 * a replay prints exactly what the operator saw.
 */
export function ledgerView<T extends HostResult>(event: T): T {
  if (!isNoLogResult(event.result, event.task.noLog)) return event;
  const censored: T = { ...event, task: { ...event.task, noLog: true }, result: cleanCopy(event.result, event.task.action, true) };
  if ('label' in censored) (censored as T & ItemResult).label = CENSORED_LABEL;
  return censored;
}

/** The queryable row of one host's result for one task (event already through ledgerView). */
export function taskResultRow(event: HostResult, durationMs: number): TaskResultRow {
  const { result } = event;
  const diffs = shownDiffs(result, event.task.loop)
    .map((entry) => formatDiff(entry.diff as DiffEntry | DiffEntry[], false))
    .join('');
  return {
    host: event.host,
    task: event.task.name,
    action: event.task.action,
    taskPath: event.task.path,
    status: event.status,
    changed: result.changed === true,
    ignored: event.ignored,
    durationMs,
    msg: result.msg === undefined ? null : typeof result.msg === 'string' ? result.msg : jsonDumps(result.msg, { ensureAscii: false }),
    diff: diffs === '' ? null : diffs,
  };
}
