/**
 * `fleet audit` on the wizards converged on sandbox hosts h16–h19. One file, run in order:
 * every test starts from the converged fleet and puts back what it broke. Every audit is
 * also checked to be read-only: each host's home and crontab are byte-identical after it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarningsOnlySink } from '../../src/audit/collecting_sink.js';
import type { AuditReport, Finding } from '../../src/audit/index.js';
import { runAudit } from '../../src/audit/index.js';
import { openHistoryDatabase } from '../../src/history/database.js';
import { listRuns } from '../../src/history/query.js';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import { fleetApply, resetHost } from '../apply/support.js';
import { crontab, requestLog, resetWizard, setCrontab, type WizardHost } from '../fleet/sandbox_wizards.js';
import { repoRoot } from '../support/sandbox.js';
import { auditInventory, auditWizard, homeSnapshot, prepareAuditWizards, sitePlaybook, vaultPasswordFiles } from './audit_wizards.js';
import { fleetProgram } from '../support/fleet_cli.js';

let wizards: WizardHost[];
let inventory: string;
const allegro = () => auditWizard('allegro');
const bezalel = () => auditWizard('bezalel');
const ezra = () => auditWizard('ezra');
const timmy = () => auditWizard('timmy');

beforeAll(async () => {
  wizards = prepareAuditWizards();
  for (const host of wizards) {
    resetWizard(host);
    // What other suites (the benchmark's app tree and cron jobs) may have left on these hosts.
    resetHost(host);
  }
  inventory = auditInventory();
  const run = await apply();
  expect(run.exitCode, run.output).toBe(0);
}, 240_000);

afterAll(() => wizards.forEach(resetWizard));

const vaultFlags = () => vaultPasswordFiles().flatMap((file) => ['--vault-password-file', file]);
const apply = (limit?: string) => fleetApply({ inventory: [inventory], playbook: sitePlaybook, ...(limit ? { limit } : {}), ...(vaultPasswordFiles()[0] ? { vaultPasswordFile: vaultPasswordFiles()[0] } : {}) });
const flagsFor = (inventories: string[], limit?: string) => ({ inventory: inventories, tags: [], skipTags: [], extraVars: [], verbose: 0, vaultPasswordFile: vaultPasswordFiles(), ...(limit ? { limit } : {}) });

/** runAudit in-process, asserting that it left every host's files and crontab as they were. */
async function audit(options: { inventory?: string; limit?: string } = {}): Promise<AuditReport> {
  const before = wizards.map(homeSnapshot);
  const report = await runAudit(applyOptionsFrom([sitePlaybook], flagsFor([options.inventory ?? inventory], options.limit), { ...process.env, ANSIBLE_TIMEOUT: '5' }, repoRoot), new WarningsOnlySink(() => {}));
  expect(wizards.map(homeSnapshot), 'the audit wrote to a host').toEqual(before);
  return report;
}

/** The history ledger of the audit runs of the command itself (never the project's own .fleet/). */
const historyDb = join(mkdtempSync(join(tmpdir(), 'fleet-audit-history-')), 'history.db');

/** `fleet audit ARGS` as a process, from the repository's root. */
function fleetAuditCli(args: string[]): Promise<{ status: number; stdout: string }> {
  const env = { ...process.env, NO_COLOR: '1', FLEET_HISTORY_DB: historyDb };
  const child = spawn(...fleetProgram(['audit', '-i', inventory, ...vaultFlags(), ...args]), { cwd: repoRoot, env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((done) => child.on('close', (status) => done({ status: status ?? -1, stdout })));
}

const kinds = (findings: Finding[]) => findings.map((finding) => `${finding.host} ${finding.kind}`);

/** Replaces a file's content as an operator would by hand, keeping its mode. */
function editByHand(path: string, edit: (text: string) => string): void {
  const mode = spawnSync('stat', ['-c', '%a', path], { encoding: 'utf8' }).stdout.trim();
  chmodSync(path, 0o644);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  chmodSync(path, parseInt(mode, 8));
}

describe('fleet audit on the converged sandbox wizards', () => {
  it('reports a converged fleet clean and exits 0', async () => {
    const report = await audit();
    expect(report.findings).toEqual([]);
    expect(report.hosts).toEqual(['allegro', 'bezalel', 'ezra', 'timmy']);
    const cli = await fleetAuditCli(['--json']);
    expect(cli.status, cli.stdout).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual({ clean: true, hosts: ['allegro', 'bezalel', 'ezra', 'timmy'], findings: [] });
  }, 120_000);

  it('reports a hand edit of a managed file as drift with its diff, which the next apply repairs', async () => {
    const conf = join(bezalel().agentHome, 'deadman.conf');
    const converged = readFileSync(conf, 'utf8');
    editByHand(conf, (text) => text.replace('KEEP_SNAPSHOTS=5', 'KEEP_SNAPSHOTS=50'));
    const report = await audit();
    expect(kinds(report.findings)).toEqual(['bezalel drift']);
    const [drift] = report.findings as [Finding];
    expect(drift).toMatchObject({ what: 'deadman_switch : Write the deadman settings', where: conf });
    expect(drift.diff).toContain('-KEEP_SNAPSHOTS=50\n+KEEP_SNAPSHOTS=5\n');
    expect(readFileSync(conf, 'utf8'), 'the audit repaired the file').toContain('KEEP_SNAPSHOTS=50');

    const cli = await fleetAuditCli(['--limit', 'bezalel']);
    expect(cli.status, cli.stdout).toBe(1);
    expect(cli.stdout).toContain(`bezalel: drift: deadman_switch : Write the deadman settings [${conf}]\n`);
    expect(cli.stdout).toContain('    -KEEP_SNAPSHOTS=50\n    +KEEP_SNAPSHOTS=5\n');
    expect(cli.stdout).toContain('fleet audit: 1 finding(s) on 1 host(s), 1 host(s) audited\n');
    const db = openHistoryDatabase(historyDb);
    const [recorded] = listRuns(db, { limit: 1 });
    db.close();
    expect(recorded).toMatchObject({ command: 'audit', argv: ['audit', '-i', inventory, ...vaultFlags(), '--limit', 'bezalel'], check: true, diff: true, exitCode: 1, hosts: { changed: 1 } });

    const repair = await apply('bezalel');
    expect(repair.exitCode, repair.output).toBe(0);
    expect(readFileSync(conf, 'utf8')).toBe(converged);
    expect((await audit()).findings).toEqual([]);
  }, 180_000);

  it('reports two inventory hosts with one address and agent home', async () => {
    const twin = auditInventory({ 'allegro-twin': { like: 'allegro', vars: { agent_home: '{{ ansible_user_dir }}/wizards/allegro/home' } } });
    const report = await audit({ inventory: twin, limit: 'allegro,allegro-twin' });
    const shared = `allegro, allegro-twin share address 127.0.1.16 and agent home ${allegro().agentHome}`;
    expect(report.findings).toContainEqual({ host: 'allegro', kind: 'identity', what: shared });
    expect(report.findings).toContainEqual({ host: 'allegro-twin', kind: 'identity', what: shared });
    // allegro itself is fine otherwise; its twin finds allegro's identity in the home.
    expect(report.findings.filter((finding) => finding.host === 'allegro')).toHaveLength(1);
    expect(report.findings).toContainEqual({
      host: 'allegro-twin',
      kind: 'identity',
      what: 'the deployed identity is "allegro", not "allegro-twin"',
      where: `${join(allegro().agentHome, 'thin-config.yaml')}:3`,
    });
  }, 120_000);

  it('reports a known duplicate without contacting a host, as the pre-flight refuses the run', async () => {
    const home = { agent_home: allegro().agentHome };
    const twin = auditInventory({ allegro: { like: 'allegro', vars: home }, 'allegro-twin': { like: 'allegro', vars: home } });
    const report = await runAudit(applyOptionsFrom([sitePlaybook], flagsFor([twin]), process.env, repoRoot), new WarningsOnlySink(() => {}));
    expect(report.hosts).toEqual([]);
    expect(kinds(report.findings)).toEqual(['* policy']);
    expect(report.findings[0]?.what).toContain(`wizards allegro and allegro-twin share address 127.0.1.16 and home ${allegro().agentHome}`);
  });

  it('reports a banned provider key in a host\'s .env by name and line, never its value', async () => {
    const env = join(ezra().agentHome, '.env');
    const secret = 'sk-ant-not-a-real-key-0000';
    const converged = readFileSync(env, 'utf8');
    appendFileSync(env, `ANTHROPIC_API_KEY=${secret}\n`);
    try {
      const report = await audit({ limit: 'ezra' });
      expect(report.findings).toContainEqual({ host: 'ezra', kind: 'banned', what: '.env key ANTHROPIC_API_KEY holds a banned env var ANTHROPIC_API_KEY', where: `${env}:3` });
      // The golden_state role's own check fails the host in the check-mode converge too.
      expect(kinds(report.findings)).toEqual(['ezra failed', 'ezra banned']);
      expect(JSON.stringify(report)).not.toContain(secret);
    } finally {
      writeFileSync(env, converged);
    }
  }, 120_000);

  it('reports a second agent process of one identity', async () => {
    const host = timmy();
    const agentCommand = ['/usr/bin/python3', join(repoRoot, 'test', 'fleet', 'fixtures', 'stand_in_agent.py'), '--port', '18719', '--heartbeat', join(host.agentHome, 'state', 'heartbeat')];
    // A second copy of the agent, started by hand in the agent's home, that never gets to
    // bind the port the first one holds: Python imports sitecustomize before the script.
    const stall = mkdtempSync(join(tmpdir(), 'fleet-audit-stall-'));
    chmodSync(stall, 0o755);
    writeFileSync(join(stall, 'sitecustomize.py'), 'import time\ntime.sleep(600)\n');
    const uid = Number(spawnSync('id', ['-u', host.user], { encoding: 'utf8' }).stdout);
    const second = spawn(agentCommand[0] as string, agentCommand.slice(1), { cwd: host.agentHome, uid, gid: uid, env: { PYTHONPATH: stall, HOME: host.home }, stdio: 'ignore' });
    try {
      const report = await audit({ limit: 'timmy' });
      expect(report.findings).toHaveLength(1);
      expect(report.findings[0]).toMatchObject({ host: 'timmy', kind: 'identity', where: host.agentHome });
      expect(report.findings[0]?.what).toMatch(new RegExp(`^2 agent processes of timmy run \\(pids (\\d+, ${second.pid}|${second.pid}, \\d+)\\); one is expected$`));
    } finally {
      second.kill('SIGKILL');
      rmSync(stall, { recursive: true, force: true });
    }
    await new Promise((done) => second.on('exit', done));
    expect((await audit({ limit: 'timmy' })).findings).toEqual([]);
  }, 120_000);

  it('reports a cron line no role manages', async () => {
    const host = allegro();
    const converged = crontab(host);
    setCrontab(host, `${converged}0 4 * * * /bin/true added by hand\n`);
    try {
      const report = await audit({ limit: 'allegro' });
      const line = converged.split('\n').length;
      expect(report.findings).toEqual([{ host: 'allegro', kind: 'cron', what: 'cron entry no role manages: 0 4 * * * /bin/true added by hand', where: `crontab of ${host.user}@127.0.1.16:${line}` }]);
    } finally {
      setCrontab(host, converged);
    }
  }, 120_000);

  it('reports request_log rows of a banned provider', async () => {
    const host = bezalel();
    requestLog(host, "INSERT INTO request_log (timestamp, agent_name, provider, model, endpoint, status) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'bezalel', 'anthropic', 'claude-3-opus', 'https://api.anthropic.com/v1', 'success');");
    const id = requestLog(host, "SELECT max(id) FROM request_log WHERE provider = 'anthropic';").trim();
    try {
      const report = await audit({ limit: 'bezalel' });
      expect(report.findings).toEqual([
        {
          host: 'bezalel',
          kind: 'banned',
          what: '1 request_log row(s) with provider "anthropic" (banned provider anthropic), model "claude-3-opus" (banned model claude-*), endpoint "https://api.anthropic.com/v1" (banned endpoint api.anthropic.com)',
          where: `${join(host.root, 'request_log', 'request_log.sqlite3')}: request_log id ${id}`,
        },
      ]);
    } finally {
      requestLog(host, `DELETE FROM request_log WHERE id = ${id};`);
    }
  }, 120_000);

  it('reports an unreachable host and still audits the others', async () => {
    const withGhost = auditInventory({ ghost: { like: 'allegro', vars: { ansible_host: '127.0.1.16', ansible_port: 1 } } });
    const report = await audit({ inventory: withGhost, limit: 'allegro,ghost' });
    expect(kinds(report.findings)).toEqual(['ghost unreachable']);
    expect(report.hosts).toEqual(['allegro', 'ghost']);
  }, 120_000);
});
