import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './schema.js';

/** How long a writer waits for another fleet's transaction before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

/** `<project>/.fleet/history.db`, or `FLEET_HISTORY_DB` when set. */
export function historyDatabasePath(cwd: string, env: NodeJS.ProcessEnv): string {
  const override = env.FLEET_HISTORY_DB;
  return override ? resolve(cwd, override) : join(cwd, '.fleet', 'history.db');
}

/** Opens (creating if needed) the ledger: WAL so readers never block the writer, and a busy timeout for concurrent runs. */
export function openHistoryDatabase(file: string): Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL survives a crash of fleet (not of the machine) and costs no fsync per commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/**
 * Closes the ledger. The last connection to close checkpoints the WAL into the database; it
 * does so without fsync, which would otherwise add tens of milliseconds to the end of every
 * run. An application crash cannot hurt it; only losing power in that instant can lose the run.
 */
export function closeHistoryDatabase(db: Database): void {
  db.pragma('synchronous = OFF');
  db.close();
}
