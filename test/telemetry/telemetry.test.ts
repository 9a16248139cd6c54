import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import { loadBannedPolicy } from '../../src/fleet/policy.js';
import { fetchRequestLogs } from '../../src/telemetry/fetch.js';
import { TelemetryStore } from '../../src/telemetry/store.js';
import { percentile, usageLines } from '../../src/telemetry/summary.js';
import { windowStart } from '../../src/telemetry/window.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { ensureSandbox, knownHostsFile, repoRoot, type SandboxHost } from '../support/sandbox.js';

const NOW = new Date();
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

let hosts: SandboxHost[];
let dir: string;
let inventory: string;
const policy = loadBannedPolicy(join(repoRoot, 'BANNED_PROVIDERS.yml'));

const dbOf = (host: SandboxHost) => join(host.home, 'telemetry', 'request_log.sqlite3');

function sql(host: SandboxHost, text: string): void {
  execFileSync('sqlite3', [dbOf(host)], { input: text });
}

function row(minutesAgo: number, agent: string, provider: string, model: string, endpoint: string, latency: number | null, status: string): string {
  const latencyText = latency === null ? 'NULL' : String(latency);
  return `INSERT INTO request_log (timestamp, agent_name, provider, model, endpoint, tokens_in, tokens_out, latency_ms, status, error_message) VALUES ('${ago(minutesAgo)}', '${agent}', '${provider}', '${model}', '${endpoint}', 10, 20, ${latencyText}, '${status}', NULL);`;
}

function freshStore(): TelemetryStore {
  return new TelemetryStore(join(mkdtempSync(join(tmpdir(), 'fleet-telemetry-db-')), 'telemetry.sqlite'));
}

function fetchInto(store: TelemetryStore) {
  const options = applyOptionsFrom([], { inventory: [inventory], tags: [], skipTags: [], extraVars: [], verbose: 0 }, { ...process.env, ANSIBLE_TIMEOUT: '5' }, dir);
  return fetchRequestLogs(options, 'wizards', store);
}

beforeAll(() => {
  hosts = ensureSandbox(15).filter((host) => host.name === 'h14' || host.name === 'h15');
  const schema = readFileSync(join(repoRoot, 'roles', 'request_log', 'files', 'schema.sql'), 'utf8');
  for (const host of hosts) {
    rmSync(join(host.home, 'telemetry'), { recursive: true, force: true });
    mkdirSync(join(host.home, 'telemetry'), { mode: 0o755 });
    sql(host, schema);
    chmodSync(dbOf(host), 0o644);
  }
  const [h14, h15] = hosts as [SandboxHost, SandboxHost];
  sql(h14, [
    row(50, 'timmy', 'kimi-coding', 'kimi-k2.5', 'https://api.kimi.example/v1', 300, 'success'),
    row(40, 'timmy', 'kimi-coding', 'kimi-k2.5', 'https://api.kimi.example/v1', 100, 'success'),
    row(30, 'timmy', 'kimi-coding', 'kimi-k2.5', 'https://api.kimi.example/v1', 500, 'error'),
    row(20, 'timmy', 'kimi-coding', 'kimi-k2.5', 'https://api.kimi.example/v1', 200, 'fallback'),
    row(10, 'timmy', 'kimi-coding', 'kimi-k2.5', 'https://api.kimi.example/v1', 400, 'success'),
    row(120, 'timmy', 'openrouter', 'google/gemini-2.5-pro', 'https://openrouter.ai/api/v1', null, 'success'),
  ].join('\n'));
  sql(h15, [
    row(30, 'bezalel', 'anthropic', 'claude-3-opus', 'https://api.anthropic.com/v1', 900, 'success'),
    row(5, 'bezalel', 'custom', 'gemma4:latest', 'http://localhost:11434/v1', 50, 'timeout'),
  ].join('\n'));
  dir = mkdtempSync(join(tmpdir(), 'fleet-telemetry-inv-'));
  // h14-twin is a second wizard on h14's machine: it shares the log, which must count once.
  const entry = (name: string, host: SandboxHost) => `        ${name}:\n          ansible_host: ${host.address}\n          ansible_port: ${host.port}\n          ansible_user: ${host.user}\n          request_log_db: ${dbOf(host)}\n          agent_home: ${host.home}/wizards/${name}\n`;
  inventory = join(dir, 'hosts.yml');
  writeFileSync(
    inventory,
    `all:\n  vars:\n    ansible_ssh_private_key_file: ${h14.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n  children:\n    wizards:\n      hosts:\n${entry('h14', h14)}${entry('h14-twin', h14)}${entry('h15', h15)}`,
  );
});

describe('fleet telemetry', () => {
  it('copies each log once over ssh, and later only the new rows', async () => {
    const store = freshStore();
    const first = await fetchInto(store);
    expect(first.map((report) => [report.host, report.added])).toEqual([
      ['h14', 6],
      ['h14-twin', 0],
      ['h15', 2],
    ].sort() as [string, number][]);
    expect(first.find((report) => report.host === 'h14-twin')?.source).toBe(first.find((report) => report.host === 'h14')?.source);
    expect((await fetchInto(store)).map((report) => report.added)).toEqual([0, 0, 0]);
    sql(hosts[1] as SandboxHost, row(1, 'bezalel', 'custom', 'gemma4:latest', 'http://localhost:11434/v1', 70, 'success'));
    const third = await fetchInto(store);
    expect(third.find((report) => report.host === 'h15')?.added).toBe(1);
    expect(store.rows({ since: ago(24 * 60) })).toHaveLength(9);
    store.close();
  });

  it('answers calls, errors, fallbacks and p50/p95 per agent/provider/model over a window, flagging banned providers', async () => {
    const store = freshStore();
    await fetchInto(store);
    const lines = usageLines(store.rows({ since: ago(60) }), policy);
    expect(lines.map(({ lastCall: _lastCall, ...line }) => line)).toEqual([
      { agent: 'bezalel', provider: 'anthropic', model: 'claude-3-opus', calls: 1, errors: 0, fallbacks: 0, p50LatencyMs: 900, p95LatencyMs: 900, banned: ['provider anthropic', 'model claude-*', 'provider claude', 'endpoint api.anthropic.com'] },
      { agent: 'bezalel', provider: 'custom', model: 'gemma4:latest', calls: expect.any(Number), errors: 1, fallbacks: 0, p50LatencyMs: 50, p95LatencyMs: expect.any(Number), banned: [] },
      { agent: 'timmy', provider: 'kimi-coding', model: 'kimi-k2.5', calls: 5, errors: 1, fallbacks: 1, p50LatencyMs: 300, p95LatencyMs: 500, banned: [] },
    ]);
    // The openrouter call was two hours ago: outside the hour, inside the day.
    expect(usageLines(store.rows({ since: ago(180) }), policy).find((line) => line.provider === 'openrouter')).toMatchObject({ calls: 1, p50LatencyMs: null });
    expect(store.rows({ since: ago(60), agent: 'timmy', provider: 'openrouter' })).toEqual([]);
    store.close();
  });

  it('computes nearest-rank percentiles and reads windows', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(windowStart('1h', new Date('2026-01-31T12:00:00.500Z'))).toBe('2026-01-31T11:00:00Z');
    expect(windowStart('2026-01-30T00:00:00Z', NOW)).toBe('2026-01-30T00:00:00Z');
    expect(() => windowStart('yesterday', NOW)).toThrow(/--since must be/);
  });

  it('runs as fleet telemetry: report, called (yes/no by exit code) and banned', () => {
    const bin = fleetBinDir();
    const db = join(mkdtempSync(join(tmpdir(), 'fleet-telemetry-cli-')), 'telemetry.sqlite');
    const fleet = (...args: string[]) => spawnSync(join(bin, 'fleet'), ['telemetry', ...args, '-i', inventory, '--db', db], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ANSIBLE_TIMEOUT: '5' }, timeout: 120_000 });
    const report = fleet('report', '--fetch', '--since', '1h');
    expect(report.status, report.stderr).toBe(0);
    expect(report.stderr).toContain('h14: 6 new row(s)');
    expect(report.stdout).toMatch(/^AGENT\s+PROVIDER\s+MODEL\s+CALLS\s+ERRORS\s+FALLBACKS\s+P50 MS\s+P95 MS\s+LAST CALL\s+BANNED$/m);
    expect(report.stdout).toMatch(/^timmy\s+kimi-coding\s+kimi-k2\.5\s+5\s+1\s+1\s+300\s+500\s+\S+\s+-$/m);
    const yes = fleet('called', 'timmy', 'kimi-coding');
    expect(yes.status).toBe(0);
    expect(yes.stdout).toMatch(/^yes: timmy called kimi-coding 5 time\(s\)/);
    const no = fleet('called', 'timmy', 'openrouter', '--json');
    expect(no.status).toBe(1);
    expect(JSON.parse(no.stdout)).toMatchObject({ called: false, calls: 0 });
    const banned = fleet('banned', '--json');
    expect(banned.status).toBe(1);
    expect(JSON.parse(banned.stdout).banned).toEqual([expect.objectContaining({ agent: 'bezalel', provider: 'anthropic', calls: 1 })]);
  });
});
