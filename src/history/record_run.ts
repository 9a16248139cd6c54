import type { Database } from 'better-sqlite3';
import { FleetError, exitCodeOf } from '../errors.js';
import { FanOutSink } from '../output/fan_out.js';
import type { RunEvents } from '../output/events.js';
import { SecretRegistry } from '../secrets/registry.js';
import { closeHistoryDatabase, historyDatabasePath, openHistoryDatabase } from './database.js';
import { HistoryLedger } from './ledger.js';
import { gitState, whoRuns } from './provenance.js';
import { HistoryRecorder } from './recorder.js';
import { stopForInterrupt } from '../executor/interrupt.js';

/** A command run worth keeping in the ledger (`fleet apply`, `fleet audit`). */
export interface RecordedRun {
  command: string;
  /** The project directory: its `.fleet/history.db` is the ledger, its git commit is recorded. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The command line after `fleet`. */
  argv: string[];
  playbooks: string[];
  check: boolean;
  diff: boolean;
  verbosity: number;
  /** Values masked in every column; read at each write, so secrets registered mid-run count. */
  secrets?: SecretRegistry;
  /** Record an interruption by these signals before the process dies of them (the CLI's choice, not a library's). */
  signals?: NodeJS.Signals[];
}

/** ansible-playbook's exit code for an exception it did not expect (a fleet bug). */
const EXIT_UNEXPECTED = 250;
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/**
 * Runs `body` with `sink`'s events also going to the history ledger, and records how the run
 * ended (exit code, error, interruption). If the ledger cannot be opened the run goes ahead
 * unrecorded with a warning: history never stops an apply.
 */
export async function recordRun<T extends { exitCode: number }>(run: RecordedRun, sink: RunEvents, body: (events: RunEvents) => Promise<T>): Promise<T> {
  const secrets = run.secrets ?? new SecretRegistry();
  const mask = (text: string) => secrets.mask(text);
  const git = gitState(run.cwd);
  let db: Database;
  let ledger: HistoryLedger;
  let runId: number;
  try {
    db = openHistoryDatabase(historyDatabasePath(run.cwd, run.env));
    ledger = new HistoryLedger(db, mask);
    runId = ledger.beginRun({
      command: run.command,
      who: whoRuns(),
      startedAt: new Date().toISOString(),
      argv: run.argv,
      playbooks: run.playbooks,
      check: run.check,
      diff: run.diff,
      verbosity: run.verbosity,
    });
  } catch (error) {
    sink.warning(`this run is not recorded in the history ledger: ${errorText(error)}`);
    return body(sink);
  }
  const recorder = new HistoryRecorder(ledger, runId, mask, (error) => sink.warning(`the history ledger stopped recording this run: ${errorText(error)}`));
  let finished = false;
  const finish = async (end: { exitCode: number; interrupted?: boolean; error?: string }) => {
    if (finished) return;
    finished = true;
    recorder.close();
    const state = await git;
    try {
      ledger.endRun(runId, { endedAt: new Date().toISOString(), exitCode: end.exitCode, interrupted: end.interrupted === true, git: state, ...(end.error ? { error: end.error } : {}) });
    } catch (error) {
      sink.warning(`the history ledger could not record the end of this run: ${errorText(error)}`);
    } finally {
      closeHistoryDatabase(db);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    const stopped = Promise.allSettled([finish({ exitCode: 128 + (SIGNAL_NUMBERS[signal] ?? 0), interrupted: true }), stopForInterrupt()]);
    void stopped.finally(() => {
      removeHandlers();
      process.kill(process.pid, signal);
    });
  };
  const removeHandlers = () => {
    for (const signal of run.signals ?? []) process.off(signal, onSignal);
  };
  for (const signal of run.signals ?? []) process.once(signal, onSignal);
  try {
    const result = await body(new FanOutSink([sink, recorder]));
    await finish({ exitCode: result.exitCode });
    return result;
  } catch (error) {
    await finish({ exitCode: error instanceof FleetError ? exitCodeOf(error) : EXIT_UNEXPECTED, error: error instanceof FleetError ? error.format() : errorText(error) });
    throw error;
  } finally {
    removeHandlers();
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
