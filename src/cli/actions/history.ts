import { existsSync } from 'node:fs';
import { FleetError } from '../../errors.js';
import { historyDatabasePath, openHistoryDatabase } from '../../history/database.js';
import { findRun, listRuns, runEvents, type RunFilter } from '../../history/query.js';
import { replayEvent } from '../../history/recorded_events.js';
import { runHeadline, runListingText } from '../../history/run_listing.js';
import type { HistoryListFlags } from '../history.js';
import { sinkFor } from '../sink.js';

/** `fleet history`: the recorded runs, newest first. */
export function listHistory(flags: HistoryListFlags): void {
  const filter: RunFilter = {
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(flags.status !== undefined ? { status: flags.status } : {}),
    ...(flags.limitRuns !== undefined ? { limit: flags.limitRuns } : {}),
  };
  const runs = withLedger((db) => listRuns(db, filter)) ?? [];
  process.stdout.write(flags.json ? `${JSON.stringify(runs, null, 2)}\n` : runs.length > 0 ? runListingText(runs) : 'no runs recorded\n');
}

/** `fleet history show RUN`: the run printed again from its recorded events. */
export function showHistory(id: number, json: boolean): void {
  const shown = withLedger((db) => {
    const run = findRun(db, id);
    return run ? { run, events: runEvents(db, id) } : undefined;
  });
  if (!shown) throw new FleetError(`no run ${id} in the history ledger ${ledgerPath()}`);
  // The run's description goes to stderr, so stdout is exactly the recorded output.
  process.stderr.write(runHeadline(shown.run));
  const sink = sinkFor(json, shown.run.verbosity);
  for (const event of shown.events) replayEvent(event, sink);
  sink.end();
}

function ledgerPath(): string {
  return historyDatabasePath(process.cwd(), process.env);
}

/** Runs `read` on the ledger, or returns undefined when nothing was ever recorded. */
function withLedger<T>(read: (db: ReturnType<typeof openHistoryDatabase>) => T): T | undefined {
  const file = ledgerPath();
  if (!existsSync(file)) return undefined;
  const db = openHistoryDatabase(file);
  try {
    return read(db);
  } finally {
    db.close();
  }
}
