/**
 * The fleet content on the four loopback sshd hosts, as the wizards of sandbox/inventory.yml.
 * One file, run in order: every test works on the same hosts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetApply, hasAnsible, recap } from '../apply/support.js';
import {
  asCron,
  crontab,
  DUMMY_SECRETS,
  playbook,
  prepareWizards,
  requestLog,
  resetWizard,
  sandboxInventory,
  sandboxVaultPasswordFile,
  setCrontab,
  wizardHost,
  wizardSnapshot,
  type WizardHost,
} from './sandbox_wizards.js';

let wizards: WizardHost[];
const allegro = () => wizardHost('allegro');
const bezalel = () => wizardHost('bezalel');
const ezra = () => wizardHost('ezra');
const timmy = () => wizardHost('timmy');

beforeAll(() => {
  wizards = prepareWizards();
  wizards.forEach(resetWizard);
});

afterAll(() => wizards.forEach(resetWizard));

const apply = (name: string, options: { limit?: string; check?: boolean; diff?: boolean; extraVars?: string[] } = {}) =>
  fleetApply({ inventory: [sandboxInventory], playbook: playbook(name), vaultPasswordFile: sandboxVaultPasswordFile, ...options });
const file = (host: WizardHost, rel: string) => join(host.agentHome, rel);
const mode = (path: string) => (statSync(path).mode & 0o7777).toString(8).padStart(4, '0');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const deadman = (host: WizardHost, mode = '') => asCron(host, `${file(host, 'bin/deadman')} ${file(host, 'deadman.conf')} ${mode}`);
const agentRunning = (host: WizardHost) => asCron(host, `${file(host, 'bin/agentctl')} status`).status === 0;

function expectNoSecrets(output: string): void {
  for (const secret of DUMMY_SECRETS) expect(output).not.toContain(secret);
}

async function eventually(check: () => boolean, what: string, seconds = 15): Promise<void> {
  for (let tries = 0; tries < seconds * 5; tries += 1) {
    if (check()) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Replaces a 0444 file's content as the test (root) does: by hand, as an operator would. */
function overwrite(path: string, text: string): void {
  chmodSync(path, 0o644);
  writeFileSync(path, text);
  chmodSync(path, 0o444);
}

const GOLDEN_CONFIG = `# Managed by the golden_state role from group_vars/wizards.yml; read-only on purpose.
# Hand edits are overwritten on the next converge.
model:
  default: "kimi-k2.5"
  provider: "kimi-coding"
  base_url: "https://api.kimi.com/coding/v1"
fallback_providers:
  - provider: "openrouter"
    model: "google/gemini-2.5-pro"
    base_url: "https://openrouter.ai/api/v1"
  - provider: "custom"
    model: "gemma4:latest"
    base_url: "http://localhost:11434/v1"
`;

describe('site.yml on the sandbox wizards', () => {
  it('converges every wizard on the first run', async () => {
    const run = await apply('site');
    expect(run.exitCode, run.output).toBe(0);
    expectNoSecrets(run.output);
    for (const host of wizards) {
      expect(recap(run.output).get(host.wizard)?.changed, run.output).toBeGreaterThan(0);
      expect(readFileSync(file(host, 'config.yaml'), 'utf8')).toBe(GOLDEN_CONFIG);
      expect(mode(file(host, 'config.yaml'))).toBe('0444');
      expect(readFileSync(file(host, '.env'), 'utf8')).toBe(`KIMI_API_KEY=${DUMMY_SECRETS[0]}\nOPENROUTER_API_KEY=${DUMMY_SECRETS[1]}\n`);
      expect(mode(file(host, '.env'))).toBe('0600');
      expect(mode(file(host, 'thin-config.yaml'))).toBe('0444');
      expect(readFileSync(file(host, 'thin-config.yaml'), 'utf8')).toContain(`identity: "${host.wizard}"\nupstream:\n  repo: "file://`);
      expect(readFileSync(file(host, `config-repo/wizards/${host.wizard}/README.md`), 'utf8')).toContain(host.wizard);
      expect(crontab(host)).toContain(`#Ansible: fleet:${host.wizard}:deadman\n*/5 * * * * ${file(host, 'bin/deadman')} ${file(host, 'deadman.conf')} >/dev/null 2>&1\n`);
      expect(crontab(host)).toContain(`#Ansible: fleet:machine:request-log-rotate\n17 3 * * * ${host.root}/request_log/rotate >/dev/null 2>&1\n`);
      expect(agentRunning(host)).toBe(true);
      expect(deadman(host, 'check').status, 'healthy').toBe(0);
    }
  });

  it('changes nothing on the second run', async () => {
    const run = await apply('site');
    expect(run.exitCode, run.output).toBe(0);
    expectNoSecrets(run.output);
    for (const host of wizards) expect(recap(run.output).get(host.wizard)?.changed, run.output).toBe(0);
  });

  it('keeps one request_log table per machine with the issue\'s columns and the provider-per-hour index', () => {
    const host = allegro();
    expect(requestLog(host, '.schema request_log')).toBe(
      `CREATE TABLE request_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  timestamp TEXT NOT NULL,
  agent_name TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  tokens_in INTEGER,
  tokens_out INTEGER,
  latency_ms INTEGER,
  status TEXT NOT NULL CHECK (status IN ('success', 'error', 'timeout', 'fallback', 'pending', 'rollback')),
  error_message TEXT
);
CREATE INDEX request_log_agent_provider_time ON request_log (agent_name, provider, timestamp);
CREATE INDEX request_log_time ON request_log (timestamp);
`,
    );
    const plan = requestLog(host, "EXPLAIN QUERY PLAN SELECT count(*) FROM request_log WHERE agent_name = 'allegro' AND provider = 'openrouter' AND timestamp >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 hour');");
    expect(plan).toContain('USING COVERING INDEX request_log_agent_provider_time');
    expect(() => requestLog(host, "INSERT INTO request_log (timestamp, agent_name, provider, model, endpoint, status) VALUES ('x', 'a', 'p', 'm', 'e', 'done');")).toThrow(/CHECK constraint failed/);
    requestLog(host, "INSERT INTO request_log (timestamp, agent_name, provider, model, endpoint, status) VALUES ('2000-01-01T00:00:00Z', 'allegro', 'custom', 'gemma4:latest', 'http://localhost:11434/v1', 'success');");
    expect(asCron(host, `${host.root}/request_log/rotate`).status).toBe(0);
    expect(requestLog(host, "SELECT count(*) FROM request_log WHERE timestamp = '2000-01-01T00:00:00Z';")).toBe('0\n');
  });

  it('installs shellcheck-clean scripts', () => {
    const host = timmy();
    const scripts = ['bin/agentctl', 'bin/deadman', 'bin/validate-config', 'bin/check-banned', 'request_log/rotate'].map((rel) => (rel.startsWith('request_log') ? join(host.root, rel) : file(host, rel)));
    expect(() => execFileSync('shellcheck', ['-s', 'sh', ...scripts], { encoding: 'utf8' })).not.toThrow();
  });

  it('--limit bezalel converges bezalel only', async () => {
    for (const host of [allegro(), bezalel()]) overwrite(file(host, 'thin-config.yaml'), 'drifted by hand\n');
    const run = await apply('site', { limit: 'bezalel' });
    expect(run.exitCode, run.output).toBe(0);
    expect([...recap(run.output).keys()]).toEqual(['bezalel']);
    expect(readFileSync(file(bezalel(), 'thin-config.yaml'), 'utf8')).toContain('identity: "bezalel"');
    expect(readFileSync(file(allegro(), 'thin-config.yaml'), 'utf8')).toBe('drifted by hand\n');
  });

  it('--check --diff shows the drift as a diff and writes nothing', async () => {
    const run = await apply('site', { check: true, diff: true });
    expect(run.exitCode, run.output).toBe(0);
    expectNoSecrets(run.output);
    expect(recap(run.output).get('allegro')?.changed).toBe(1);
    for (const other of ['bezalel', 'ezra', 'timmy']) expect(recap(run.output).get(other)?.changed, run.output).toBe(0);
    // fleet leaves the headers' paths out under --check (test/fleet/fixtures/repro/template_check_diff).
    expect(run.output).toMatch(/\n--- before: .*\n\+\+\+ after.*\n@@ -1 \+1,9 @@\n-drifted by hand\n\+# Managed by the wizard_base role/);
    expect(readFileSync(file(allegro(), 'thin-config.yaml'), 'utf8')).toBe('drifted by hand\n');
    const fixed = await apply('site', { limit: 'allegro' });
    expect(fixed.exitCode, fixed.output).toBe(0);
    expect(readFileSync(file(allegro(), 'thin-config.yaml'), 'utf8')).toContain('identity: "allegro"');
  });

  it('removes cron jobs that are no longer in vars and leaves other entries alone', async () => {
    const host = ezra();
    const foreign = '#Ansible: someone-else\n0 1 * * * true\n# a comment of the operator\n';
    setCrontab(host, `${crontab(host)}${foreign}`);
    const dir = mkdtempSync(join(tmpdir(), 'fleet-cron-'));
    try {
      const onlyDeadman = join(dir, 'jobs.yml');
      writeFileSync(onlyDeadman, 'wizard_cron_jobs:\n  - name: "fleet:{{ agent_name }}:deadman"\n    minute: "*/5"\n    job: "{{ agent_bin_dir }}/deadman {{ agent_home }}/deadman.conf >/dev/null 2>&1"\n');
      const run = await apply('cron_schedule', { limit: 'ezra', extraVars: [`@${onlyDeadman}`] });
      expect(run.exitCode, run.output).toBe(0);
      expect(crontab(host)).not.toContain('request-log-rotate');
      expect(crontab(host)).toContain('#Ansible: fleet:ezra:deadman\n');
      expect(crontab(host)).toContain(foreign);
      const back = await apply('cron_schedule', { limit: 'ezra' });
      expect(back.output).toContain('changed: [ezra] => (item=fleet:machine:request-log-rotate)');
      expect(crontab(host)).toContain('#Ansible: fleet:machine:request-log-rotate\n');
    } finally {
      setCrontab(host, crontab(host).replace(foreign, ''));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('removes legacy deadman jobs, named or not, and keeps the fleet one', async () => {
    const host = allegro();
    setCrontab(host, `${crontab(host)}#Ansible: deadman\n*/5 * * * * /root/old/deadman.sh\n*/10 * * * * /opt/hermes/deadman-switch.sh check\n0 4 * * * echo unrelated\n`);
    try {
      const run = await apply('deadman_switch', { limit: 'allegro' });
      const after = crontab(host);
      expect(run.exitCode, run.output).toBe(0);
      expect(run.output).toContain('changed: [allegro] => (item=deadman)');
      expect(run.output).toMatch(/TASK \[deadman_switch : Remove unnamed cron lines that run another deadman\] \*+\nchanged: \[allegro\]/);
      expect(after).not.toMatch(/#Ansible: deadman\n|old\/deadman\.sh|deadman-switch\.sh/);
      expect(after).toContain('0 4 * * * echo unrelated\n');
      expect(after).toContain(`#Ansible: fleet:allegro:deadman\n*/5 * * * * ${file(host, 'bin/deadman')} `);
    } finally {
      setCrontab(host, crontab(host).split('\n').filter((line) => !/^#Ansible: deadman$|deadman\.sh|deadman-switch\.sh|echo unrelated$/.test(line)).join('\n'));
    }
  });

  it('fails a host whose .env still holds a banned key after converging, naming it without the secret', async () => {
    const host = bezalel();
    const env = file(host, '.env');
    const good = readFileSync(env, 'utf8');
    appendFileSync(env, 'ANTHROPIC_API_KEY=sk-ant-dummy-0001\n');
    const run = await apply('golden_state', { limit: 'bezalel' });
    writeFileSync(env, good);
    expect(run.exitCode, run.output).toBe(2);
    expect(run.output).toContain(`fatal: [bezalel]: FAILED! => {"changed": false, "msg": "banned provider values remain after converging: ${env}:3: banned word ANTHROPIC_API_KEY"}`);
    expect(run.output).not.toContain('sk-ant-dummy-0001');
  });
});

describe('the deadman switch, run as cron runs it', () => {
  it('keeps a healthy config as last-known-good with a sha256 manifest, and only the last N', async () => {
    const host = timmy();
    const snapshots = file(host, 'last-known-good');
    for (let day = 1; day <= 6; day += 1) {
      const dir = join(snapshots, `2000010${day}T000000Z`);
      asCron(host, `mkdir ${dir} && echo old > ${dir}/config.yaml && echo '${sha256('old\n')}  config.yaml' > ${dir}/SHA256SUMS`);
    }
    // A round the real cron started at the minute holds the lock, and ours skips: try again.
    for (let round = 0; round < 20 && readdirSync(snapshots).length > 5; round += 1) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      expect(deadman(host).status).toBe(0);
    }
    const kept = readdirSync(snapshots).sort();
    expect(kept).toHaveLength(5);
    expect(kept.slice(0, 4)).toEqual(['20000103T000000Z', '20000104T000000Z', '20000105T000000Z', '20000106T000000Z']);
    const latest = join(snapshots, kept[4] as string);
    expect(readFileSync(join(latest, 'config.yaml'), 'utf8')).toBe(GOLDEN_CONFIG);
    expect(readFileSync(join(latest, 'SHA256SUMS'), 'utf8')).toBe(`${sha256(GOLDEN_CONFIG)}  config.yaml\n`);
  });

  it('prunes beyond the last N even when the config is already kept (a round that keeps nothing new)', async () => {
    const host = timmy();
    const snapshots = file(host, 'last-known-good');
    for (const name of readdirSync(snapshots)) asCron(host, `rm -rf ${join(snapshots, name)}`);
    const names = ['20000101T000000Z', '20000102T000000Z', '20000103T000000Z', '20000104T000000Z', '20000105T000000Z', '20000106T000000Z', '20990101T000000Z'];
    for (const [index, name] of names.entries()) {
      const content = index === names.length - 1 ? GOLDEN_CONFIG : 'old\n';
      const dir = join(snapshots, name);
      asCron(host, `mkdir ${dir} && echo ${Buffer.from(content).toString('base64')} | base64 -d > ${dir}/config.yaml && echo '${sha256(content)}  config.yaml' > ${dir}/SHA256SUMS`);
    }
    for (let round = 0; round < 20 && readdirSync(snapshots).length > 5; round += 1) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      expect(deadman(host).status).toBe(0);
    }
    expect(readdirSync(snapshots).sort()).toEqual(names.slice(2));
  });

  it('restores the config byte for byte, restarts the agent and logs the rollback after N failed rounds', async () => {
    const host = timmy();
    const config = file(host, 'config.yaml');
    const good = readFileSync(config, 'utf8');
    const pid = Number(readFileSync(file(host, 'state/agent.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    const corrupt = 'model: {broken\n';
    overwrite(config, corrupt);
    // Three failed rounds roll back (deadman.failures_before_rollback); cron may run one too.
    for (let round = 0; round < 5 && readFileSync(config, 'utf8') !== good; round += 1) expect(deadman(host).status).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe(good);
    expect(mode(config)).toBe('0444');
    await eventually(() => agentRunning(host) && deadman(host, 'check').status === 0, 'the agent to be healthy again');
    expect(Number(readFileSync(file(host, 'state/agent.pid'), 'utf8'))).not.toBe(pid);
    const rows = requestLog(host, "SELECT agent_name, provider, model, endpoint, status, error_message FROM request_log WHERE status = 'rollback';");
    expect(rows).toBe(`timmy|deadman|last-known-good|${config}|rollback|old_config_sha256=${sha256(corrupt)} new_config_sha256=${sha256(good)}\n`);
    expect(requestLog(host, "SELECT timestamp FROM request_log WHERE status = 'rollback';")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
  });

  it('runs one round at a time: a held lock skips the round, a dead owner\'s lock is taken over', async () => {
    const host = timmy();
    const lock = file(host, 'state/deadman.lock');
    const failures = file(host, 'state/deadman.failures');
    const holder = spawn('runuser', ['-u', host.user, '--', 'sh', '-c', 'echo $$; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const holderPid = await new Promise<number>((done) => holder.stdout.once('data', (data: Buffer) => done(Number(data.toString().trim()))));
    try {
      asCron(host, `mkdir ${lock} && echo ${holderPid} > ${lock}/pid`);
      writeFileSync(failures, '7\n');
      expect(deadman(host).status).toBe(0);
      expect(readFileSync(failures, 'utf8')).toBe('7\n');
      expect(readFileSync(file(host, 'logs/deadman.log'), 'utf8')).toContain(`another deadman round holds ${lock}; skipping`);
    } finally {
      holder.kill();
    }
    asCron(host, `echo 999999 > ${lock}/pid`);
    expect(deadman(host).status).toBe(0);
    expect(readFileSync(failures, 'utf8')).toBe('0\n');
    expect(() => statSync(lock)).toThrow();
  });

  it('agent_startup starts from the last-known-good config when config.yaml fails validation', async () => {
    const host = ezra();
    expect(deadman(host).status).toBe(0);
    const config = file(host, 'config.yaml');
    const good = readFileSync(config, 'utf8');
    overwrite(config, 'fallback_providers: []\n');
    const run = await apply('agent_startup', { limit: 'ezra' });
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toMatch(/TASK \[Start from the last-known-good config instead\] \*+\nchanged: \[ezra\]/);
    expect(readFileSync(config, 'utf8')).toBe(good);
    expect(requestLog(host, "SELECT count(*) FROM request_log WHERE status = 'rollback' AND agent_name = 'ezra';")).toBe('1\n');
  });
});

describe.skipIf(!hasAnsible())('the same end state as ansible-playbook', () => {
  it('site.yml leaves the same files, modes, request_log schema and crontabs, with the same recap', async () => {
    wizards.forEach(resetWizard);
    const ansibleOutput = execFileSync('ansible-playbook', ['-i', sandboxInventory, '--vault-password-file', sandboxVaultPasswordFile, playbook('site')], {
      env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_NOCOLOR: '1' },
      encoding: 'utf8',
    });
    const ansible = wizards.map(wizardSnapshot);
    wizards.forEach(resetWizard);
    const run = await apply('site');
    expect(run.exitCode, run.output).toBe(0);
    expect(wizards.map(wizardSnapshot)).toEqual(ansible);
    expect(recap(run.output)).toEqual(recap(ansibleOutput));
    expectNoSecrets(ansibleOutput);
  }, 400_000);
});
