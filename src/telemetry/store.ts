import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';

/** A request_log row as the wizards' `sqlite3 -json` prints it (roles/request_log/files/schema.sql). */
export const requestLogRowSchema = z.object({
  id: z.number().int(),
  timestamp: z.string(),
  agent_name: z.string(),
  provider: z.string(),
  model: z.string(),
  endpoint: z.string(),
  tokens_in: z.number().int().nullable(),
  tokens_out: z.number().int().nullable(),
  latency_ms: z.number().int().nullable(),
  status: z.string(),
  error_message: z.string().nullable(),
});
export type RequestLogRow = z.infer<typeof requestLogRowSchema>;

export interface StoredRow extends RequestLogRow {
  /** Which log the row came from: `<address>:<db path>`, so wizards sharing a machine's log count it once. */
  source: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS request_log (
  source TEXT NOT NULL,
  id INTEGER NOT NULL,
  timestamp TEXT NOT NULL,
  agent_name TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  tokens_in INTEGER,
  tokens_out INTEGER,
  latency_ms INTEGER,
  status TEXT NOT NULL,
  error_message TEXT,
  PRIMARY KEY (source, id)
);
CREATE INDEX IF NOT EXISTS request_log_time ON request_log (timestamp);
`;

/** The controller's copy of every wizard's request_log. */
export class TelemetryStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.exec(SCHEMA);
  }

  /** The highest row id copied from each source, so a fetch asks only for newer rows. */
  lastIds(): Record<string, number> {
    const rows = this.db.prepare('SELECT source, max(id) AS last FROM request_log GROUP BY source').all() as { source: string; last: number }[];
    return Object.fromEntries(rows.map((row) => [row.source, row.last]));
  }

  /** Adds rows; returns how many were new. */
  insert(source: string, rows: RequestLogRow[]): number {
    const statement = this.db.prepare(
      `INSERT OR IGNORE INTO request_log (source, id, timestamp, agent_name, provider, model, endpoint, tokens_in, tokens_out, latency_ms, status, error_message)
       VALUES (@source, @id, @timestamp, @agent_name, @provider, @model, @endpoint, @tokens_in, @tokens_out, @latency_ms, @status, @error_message)`,
    );
    const insertAll = this.db.transaction((all: RequestLogRow[]) => all.reduce((added, row) => added + statement.run({ ...row, source }).changes, 0));
    return insertAll(rows);
  }

  /** Rows at or after `since` (UTC ISO-8601 text compares as time), optionally of one agent and provider. */
  rows(filter: { since: string; agent?: string; provider?: string }): StoredRow[] {
    return this.db
      .prepare(
        `SELECT * FROM request_log WHERE timestamp >= @since AND (@agent IS NULL OR agent_name = @agent) AND (@provider IS NULL OR provider = @provider)
         ORDER BY timestamp, source, id`,
      )
      .all({ since: filter.since, agent: filter.agent ?? null, provider: filter.provider ?? null }) as StoredRow[];
  }

  close(): void {
    this.db.close();
  }
}
