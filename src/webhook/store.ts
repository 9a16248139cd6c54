import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DeployRequest } from './gitea_event.js';

export type DeployStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

export interface DeployRecord {
  id: number;
  repo: string;
  branch: string;
  commit: string;
  /** X-Gitea-Delivery ids this deploy answers (several when deliveries coalesced). */
  deliveries: string[];
  status: DeployStatus;
  exitCode: number | null;
  startedAt: string;
  finishedAt: string | null;
  /** The end of the deploy script's output, for a failure's cause. */
  outputTail: string;
}

export interface DeliveryRecord {
  id: string;
  event: string;
  receivedAt: string;
  outcome: string;
}

interface DeployRow {
  id: number;
  repo: string;
  branch: string;
  commit_sha: string;
  deliveries: string;
  status: DeployStatus;
  exit_code: number | null;
  started_at: string;
  finished_at: string | null;
  output_tail: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS deliveries (
  id TEXT PRIMARY KEY,
  event TEXT NOT NULL,
  received_at TEXT NOT NULL,
  outcome TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deploys (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  repo TEXT NOT NULL,
  branch TEXT NOT NULL,
  commit_sha TEXT NOT NULL,
  deliveries TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
  exit_code INTEGER,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  output_tail TEXT NOT NULL DEFAULT ''
);
`;

/** The webhook's SQLite ledger: every delivery id seen (so a replay is not deployed twice) and every deploy. */
export class WebhookStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
    // A deploy still "running" in the ledger was cut short when the last server stopped.
    this.db.prepare(`UPDATE deploys SET status = 'interrupted', finished_at = ? WHERE status = 'running'`).run(now());
  }

  /** Records a delivery id; false when it was seen before (a replay). */
  recordDelivery(id: string, event: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO deliveries (id, event, received_at, outcome) VALUES (?, ?, ?, ?)').run(id, event, now(), 'received').changes === 1;
  }

  setOutcome(id: string, outcome: string): void {
    this.db.prepare('UPDATE deliveries SET outcome = ? WHERE id = ?').run(outcome, id);
  }

  startDeploy(request: DeployRequest, deliveries: string[]): number {
    const result = this.db
      .prepare(`INSERT INTO deploys (repo, branch, commit_sha, deliveries, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)`)
      .run(request.repo, request.branch, request.commit, JSON.stringify(deliveries), now());
    return Number(result.lastInsertRowid);
  }

  finishDeploy(id: number, exitCode: number | null, outputTail: string): void {
    this.db
      .prepare('UPDATE deploys SET status = ?, exit_code = ?, finished_at = ?, output_tail = ? WHERE id = ?')
      .run(exitCode === 0 ? 'succeeded' : 'failed', exitCode, now(), outputTail, id);
  }

  recentDeploys(limit: number): DeployRecord[] {
    const rows = this.db.prepare('SELECT * FROM deploys ORDER BY id DESC LIMIT ?').all(limit) as DeployRow[];
    return rows.map((row) => ({
      id: row.id,
      repo: row.repo,
      branch: row.branch,
      commit: row.commit_sha,
      deliveries: JSON.parse(row.deliveries) as string[],
      status: row.status,
      exitCode: row.exit_code,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      outputTail: row.output_tail,
    }));
  }

  recentDeliveries(limit: number): DeliveryRecord[] {
    return this.db.prepare('SELECT id, event, received_at AS receivedAt, outcome FROM deliveries ORDER BY rowid DESC LIMIT ?').all(limit) as DeliveryRecord[];
  }

  close(): void {
    this.db.close();
  }
}

function now(): string {
  return new Date().toISOString();
}
