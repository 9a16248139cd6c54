import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { listRuns, type RunFilter, type RunSummary } from '../../src/history/query.js';
import { fleet, headCommit, makeProject, type CliRun } from './project.js';

const SITE = `- hosts: all
  gather_facts: false
  tasks:
    - name: make the work dir
      file: path="{{ work }}" state=directory
    - name: write the greeting
      copy:
        dest: "{{ work }}/greeting"
        content: "hello {{ inventory_hostname }}\\n"
    - name: web2 breaks
      command: "false"
      when: inventory_hostname == 'web2'
`;

describe('fleet history', () => {
  let project: string;
  let commit: string;
  let first: CliRun;
  let second: CliRun;

  const runs = async (...args: string[]): Promise<RunSummary[]> => {
    const listed = await fleet(project, ['history', '--json', ...args]);
    expect(listed.status, listed.stderr).toBe(0);
    return JSON.parse(listed.stdout) as RunSummary[];
  };

  beforeAll(async () => {
    project = makeProject({ 'site.yml': SITE });
    commit = headCommit(project);
    first = await fleet(project, ['apply', '-i', 'inventory.yml', 'site.yml', '--diff']);
    // The second run starts from a tree with an uncommitted edit.
    writeFileSync(join(project, 'site.yml'), `${SITE}# edited\n`);
    second = await fleet(project, ['apply', '-i', 'inventory.yml', 'site.yml', '--check', '--limit', 'web1']);
  }, 240_000);

  it('records both applies, newest first, with who, commit, flags and outcome', async () => {
    expect(first.status, first.stderr).toBe(4);
    expect(second.status, second.stderr).toBe(0);
    const [newer, older] = await runs();
    expect(older).toMatchObject({
      command: 'apply',
      commit,
      dirty: false,
      playbooks: ['site.yml'],
      argv: ['apply', '-i', 'inventory.yml', 'site.yml', '--diff'],
      check: false,
      diff: true,
      exitCode: 4,
      interrupted: false,
      result: 'unreachable',
      hosts: { ok: 0, changed: 1, failed: 1, skipped: 0, unreachable: 1 },
    });
    expect(older?.who).toMatch(/^[^@\s]+@\S+$/);
    expect(newer).toMatchObject({ commit, dirty: true, check: true, diff: false, exitCode: 0, result: 'ok', hosts: { ok: 1, changed: 0, failed: 0, unreachable: 0 } });
    expect((newer?.id ?? 0) > (older?.id ?? 0)).toBe(true);
    expect(Date.parse(older?.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(older?.startedAt ?? ''));
  }, 120_000);

  it('keeps each host’s status, change, duration, msg and diff per task', () => {
    const db = new BetterSqlite3(join(project, '.fleet', 'history.db'), { readonly: true });
    const rows = db.prepare('SELECT host, task, status, changed, duration_ms, msg, diff FROM task_results WHERE run_id = (SELECT MIN(id) FROM runs) ORDER BY id').all() as Record<string, unknown>[];
    db.close();
    const byHost = (host: string) => rows.filter((row) => row.host === host).map((row) => `${row.task}: ${row.status}`);
    expect(byHost('web1')).toEqual(['make the work dir: changed', 'write the greeting: changed', 'web2 breaks: skipped']);
    expect(byHost('web2')).toEqual(['make the work dir: changed', 'write the greeting: changed', 'web2 breaks: failed']);
    expect(byHost('down')).toEqual(['make the work dir: unreachable']);
    const greeting = rows.find((row) => row.host === 'web1' && row.task === 'write the greeting');
    expect(greeting?.changed).toBe(1);
    expect(greeting?.diff).toContain('+hello web1');
    const broken = rows.find((row) => row.host === 'web2' && row.task === 'web2 breaks');
    expect(broken?.msg).toBe('non-zero return code');
    for (const row of rows) expect(typeof row.duration_ms === 'number' && row.duration_ms >= 0).toBe(true);
    expect(rows.some((row) => (row.duration_ms as number) > 0)).toBe(true);
  });

  it('filters by host, status and count', async () => {
    const db = new BetterSqlite3(join(project, '.fleet', 'history.db'), { readonly: true });
    const ids = (filter: RunFilter = {}) => listRuns(db, filter).map((run) => run.id);
    const [newest, oldest] = ids();
    expect(ids({ host: 'web2' })).toEqual([oldest]);
    expect(ids({ host: 'down', status: 'unreachable' })).toEqual([oldest]);
    expect(ids({ status: 'failed' })).toEqual([oldest]);
    expect(ids({ status: 'changed' })).toEqual([oldest]);
    expect(ids({ host: 'web1', status: 'skipped' })).toEqual([newest, oldest]);
    expect(ids({ host: 'web1', status: 'failed' })).toEqual([]);
    expect(ids({ limit: 1 })).toEqual([newest]);
    db.close();
    // The flags reach the same filter.
    expect((await runs('--host', 'web1', '--status', 'skipped', '--limit-runs', '1')).map((run) => run.id)).toEqual([newest]);
    const bad = await fleet(project, ['history', '--status', 'broken']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('broken');
  }, 120_000);

  it('lists runs as a table', async () => {
    const listed = await fleet(project, ['history']);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+STARTED \(UTC\)\s+WHO\s+COMMIT\s+MODE\s+PLAYBOOKS\s+RESULT\s+HOSTS$/);
    expect(lines[1]).toContain(`${commit.slice(0, 10)}+dirty`);
    expect(lines[1]).toMatch(/apply check\s+site\.yml\s+ok\s+ok=1$/);
    expect(lines[2]).toMatch(/apply diff\s+site\.yml\s+unreachable\s+unreachable=1 failed=1 changed=1$/);
  }, 120_000);

  it('shows a run as the apply printed it', async () => {
    const db = new BetterSqlite3(join(project, '.fleet', 'history.db'), { readonly: true });
    const [newer, older] = listRuns(db);
    db.close();
    for (const [run, original] of [[older, first], [newer, second]] as const) {
      const shown = await fleet(project, ['history', 'show', String(run?.id)]);
      expect(shown.status, shown.stderr).toBe(0);
      expect(original.stdout).toContain('PLAY RECAP');
      expect(shown.stdout).toBe(original.stdout);
      expect(shown.stderr).toContain(`run ${run?.id}: fleet apply -i inventory.yml site.yml`);
    }
    expect(first.stdout).toContain('+hello web1');
    const asJson = await fleet(project, ['history', 'show', String(older?.id), '--json']);
    const document = JSON.parse(asJson.stdout) as { plays: { tasks: { hosts: Record<string, { status: string }> }[] }[]; stats: Record<string, { changed: number; failures: number }> };
    expect(document.stats.web1).toMatchObject({ changed: 2, failures: 0 });
    expect(document.stats.web2).toMatchObject({ failures: 1 });
    expect(document.plays[0]?.tasks[2]?.hosts.web2?.status).toBe('failed');
    const missing = await fleet(project, ['history', 'show', '999']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no run 999');
  }, 240_000);
});
