import { InvalidArgumentError, Option, type Command } from 'commander';
// The statuses come from output/events.ts, not history/query.ts: the query's decoding pulls in the template engine on every start.
import { HOST_STATUSES, type HostStatus } from '../output/events.js';

export interface HistoryListFlags {
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
    .action(async (flags: HistoryListFlags) => (await import('./actions/history.js')).listHistory(flags));
  history
    .command('show')
    .description('Print a recorded run as its output read (PLAY/TASK banners, results, diffs, PLAY RECAP)')
    .argument('<run>', 'the run id, as `fleet history` lists it', positiveInteger)
    .option('--json', "print it as `fleet apply --json` would have")
    .action(async (id: number, _flags: unknown, command: Command) => {
      // `--json` is also `history`'s own option, so commander may hand it to the parent.
      const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
      (await import('./actions/history.js')).showHistory(id, json);
    });
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`expected a positive whole number, got ${text}`);
  return value;
}
