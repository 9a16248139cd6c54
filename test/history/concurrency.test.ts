import { spawn } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { findRun, listRuns } from '../../src/history/query.js';
import { fleet, fleetCommand, makeProject } from './project.js';

const MANY_TASKS = `- hosts: web1,web2
  gather_facts: false
  tasks:
    - file: path="{{ work }}" state=directory
${Array.from({ length: 12 }, (_, n) => `    - copy: dest="{{ work }}/f${n}" content="${n}\\n"\n`).join('')}`;

const SLOW = `- hosts: web1
  gather_facts: false
  tasks:
    # Longer than the recorder's flush interval, so its row is written when the next task starts.
    - name: quick
      command: sleep 1
    - name: slow
      command: sleep 20
`;

describe('history ledger under concurrent and interrupted runs', () => {
  let project: string;
  const ledger = () => new BetterSqlite3(join(project, '.fleet', 'history.db'));

  beforeAll(() => {
    project = makeProject({ 'many.yml': MANY_TASKS, 'slow.yml': SLOW });
  });

  it('records two applies running at once, both whole', async () => {
    const [one, two] = await Promise.all([
      fleet(project, ['apply', '-i', 'inventory.yml', 'many.yml', '--limit', 'web1']),
      fleet(project, ['apply', '-i', 'inventory.yml', 'many.yml', '--limit', 'web2']),
    ]);
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    const db = ledger();
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const runs = listRuns(db);
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      expect(run).toMatchObject({ exitCode: 0, result: 'ok' });
      const rows = db.prepare('SELECT host, status FROM task_results WHERE run_id = ?').all(run.id) as { host: string; status: string }[];
      expect(rows).toHaveLength(13);
      expect(new Set(rows.map((row) => row.host)).size).toBe(1);
      expect(rows.every((row) => row.status === 'changed')).toBe(true);
      const kinds = db.prepare('SELECT kind FROM events WHERE run_id = ? ORDER BY seq').all(run.id) as { kind: string }[];
      expect(kinds.filter((row) => row.kind === 'hostResult')).toHaveLength(13);
      expect(kinds.at(-1)?.kind).toBe('stats');
    }
    expect(new Set(runs.map((run) => run.hosts.changed))).toEqual(new Set([1]));
    db.close();
  }, 180_000);

  it('records a run stopped by Ctrl-C as interrupted, with what it did until then', async () => {
    const child = spawn(...fleetCommand(['apply', '-i', 'inventory.yml', 'slow.yml']), { cwd: project, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('close', (code, signal) => resolve(signal ?? code)));
    const db = ledger();
    const deadline = Date.now() + 60_000;
    let runId: number | undefined;
    while (runId === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const row = db.prepare("SELECT run_id FROM task_results WHERE task = 'quick'").get() as { run_id: number } | undefined;
      runId = row?.run_id;
    }
    expect(runId).toBeDefined();
    child.kill('SIGINT');
    expect(await exited).not.toBe(0);
    const run = findRun(db, runId as number);
    expect(run).toMatchObject({ interrupted: true, exitCode: 130, result: 'interrupted' });
    expect(run?.endedAt).not.toBeNull();
    db.close();
  }, 120_000);
});
