import { existsSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { FleetError } from '../errors.js';
import { historyDatabasePath, openHistoryDatabase } from '../history/database.js';
import { findRun, HOST_STATUSES, listRuns, runEvents, type RunFilter } from '../history/query.js';
import { replayEvent } from '../history/recorded_events.js';
import { runHeadline, runListingText } from '../history/run_listing.js';
import type { HostStatus } from '../output/events.js';
import { sinkFor } from './sink.js';

interface ListFlags {
  host?: string;
  status?: HostStatus;
  limitRuns?: number;
  json?: boolean;
}

/** `fleet history`: the runs recorded in the project's ledger; `fleet history show RUN` prints one again. */
export function registerHistoryCommand(program: Command): void {
  const history = program
    .command('history')
    .description('List the runs recorded in the history ledger (.fleet/history.db), newest first')
    .option('--host <host>', 'only runs that touched this host')
    .addOption(new Option('--status <status>', 'only runs where a task ended so (on --host, if given)').choices(HOST_STATUSES))
    .option('--limit-runs <n>', 'at most this many runs', positiveInteger)
    .option('--json', 'print the runs as JSON')
    .action((flags: ListFlags) => {
      const filter: RunFilter = {
        ...(flags.host !== undefined ? { host: flags.host } : {}),
        ...(flags.status !== undefined ? { status: flags.status } : {}),
        ...(flags.limitRuns !== undefined ? { limit: flags.limitRuns } : {}),
      };
      const runs = withLedger((db) => listRuns(db, filter)) ?? [];
      process.stdout.write(flags.json ? `${JSON.stringify(runs, null, 2)}\n` : runs.length > 0 ? runListingText(runs) : 'no runs recorded\n');
    });
  history
    .command('show')
    .description('Print a recorded run as its output read (PLAY/TASK banners, results, diffs, PLAY RECAP)')
    .argument('<run>', 'the run id, as `fleet history` lists it', positiveInteger)
    .option('--json', "print it as `fleet apply --json` would have")
    .action((id: number, _flags: unknown, command: Command) => {
      // `--json` is also `history`'s own option, so commander may hand it to the parent.
      const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
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
    });
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

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`expected a positive whole number, got ${text}`);
  return value;
}
