import type { Database } from 'better-sqlite3';
import { FleetError } from '../errors.js';

/**
 * The ledger's schema as an ordered list of migrations; `schema_version` holds how many have
 * been applied, so a newer fleet upgrades an older ledger in place and never rewrites history.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    command TEXT NOT NULL,
    who TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    git_commit TEXT,
    git_dirty INTEGER,
    argv TEXT NOT NULL,
    playbooks TEXT NOT NULL,
    check_mode INTEGER NOT NULL,
    diff_mode INTEGER NOT NULL,
    verbosity INTEGER NOT NULL,
    exit_code INTEGER,
    interrupted INTEGER NOT NULL DEFAULT 0,
    error TEXT
  );
  CREATE TABLE task_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    host TEXT NOT NULL,
    task TEXT NOT NULL,
    action TEXT NOT NULL,
    task_path TEXT NOT NULL,
    status TEXT NOT NULL,
    changed INTEGER NOT NULL,
    ignored INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    msg TEXT,
    diff TEXT
  );
  CREATE INDEX task_results_by_run ON task_results(run_id, host, status);
  CREATE TABLE host_stats (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    host TEXT NOT NULL,
    ok INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    unreachable INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    rescued INTEGER NOT NULL,
    ignored INTEGER NOT NULL,
    PRIMARY KEY (run_id, host)
  );
  CREATE TABLE events (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Applies the migrations this ledger has not seen yet, each in its own transaction. */
export function migrate(db: Database): void {
  // The common case, an up-to-date ledger, is one read and no write.
  if (versionOf(db) === SCHEMA_VERSION) return;
  const upgrade = db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > SCHEMA_VERSION) throw new FleetError(`the history ledger has schema version ${current}; this fleet knows up to ${SCHEMA_VERSION}`);
    for (const sql of MIGRATIONS.slice(current)) db.exec(sql);
    if (row) db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION);
    else db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
  });
  // IMMEDIATE takes the write lock first, so two fleets opening a new ledger at once do not both migrate.
  upgrade.immediate();
}

function versionOf(db: Database): number | undefined {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (!table) return undefined;
  return (db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined)?.version;
}
