/**
 * `fleet rollback` on two wizards converged by site.yml on sandbox hosts h14 (bezalel) and
 * h15 (ezra), under wizard_root ~/rollback-wizards so other suites on those hosts are not
 * disturbed. The CLI runs as a program (exit codes are part of the contract).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetApply } from '../apply/support.js';
import { sandboxVaultPasswordFile } from '../fleet/sandbox_wizards.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { ensureSandbox, repoRoot, sandboxHost, type SandboxHost } from '../support/sandbox.js';

const WIZARDS = { bezalel: 'h14', ezra: 'h15' } as const;
type Wizard = keyof typeof WIZARDS;
const PORTS: Record<Wizard, number> = { bezalel: 18770, ezra: 18771 };
const ROOT = 'rollback-wizards';
const OLDER_SNAPSHOT = '20000101T000000Z';

let work: string;
let inventory: string;
let bin: string;
const host = (wizard: Wizard): SandboxHost => sandboxHost(WIZARDS[wizard]);
const home = (wizard: Wizard, rel: string) => join(host(wizard).home, ROOT, wizard, 'home', rel);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const read = (wizard: Wizard, rel: string) => readFileSync(home(wizard, rel), 'utf8');

/** A shell command as the wizard's user, with cron's bare environment. */
function asUser(wizard: Wizard, command: string): { status: number; stdout: string } {
  const h = host(wizard);
  const result = spawnSync('runuser', ['-u', h.user, '--', 'env', '-i', `HOME=${h.home}`, 'PATH=/usr/bin:/bin', '/bin/sh', '-c', command], { encoding: 'utf8', cwd: h.home });
  return { status: result.status ?? -1, stdout: result.stdout };
}

const agentRunning = (wizard: Wizard) => asUser(wizard, `${home(wizard, 'bin/agentctl')} status`).status === 0;
const agentPid = (wizard: Wizard) => read(wizard, 'state/agent.pid').trim();
const rollbackRows = (wizard: Wizard) =>
  asUser(wizard, `sqlite3 ${join(host(wizard).home, ROOT, 'request_log', 'request_log.sqlite3')} "SELECT agent_name, provider, model, endpoint, status, error_message FROM request_log WHERE status = 'rollback' ORDER BY id;"`).stdout;
const snapshots = (wizard: Wizard) => readdirSync(home(wizard, 'last-known-good')).sort();
const latestSnapshot = (wizard: Wizard) => snapshots(wizard).at(-1) as string;

/** Everything a rollback could change on a wizard. */
const state = (wizard: Wizard) => ({ config: read(wizard, 'config.yaml'), pid: agentPid(wizard), rows: rollbackRows(wizard), snapshots: snapshots(wizard) });

/** Replaces the 0444 config.yaml by hand, as an operator's bad edit would. */
function corrupt(wizard: Wizard, text: string): void {
  chmodSync(home(wizard, 'config.yaml'), 0o644);
  writeFileSync(home(wizard, 'config.yaml'), text);
  chmodSync(home(wizard, 'config.yaml'), 0o444);
}

function fleetRollback(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(join(bin, 'fleet'), ['rollback', '-i', inventory, '--vault-password-file', sandboxVaultPasswordFile, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_TIMEOUT: '5', NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** sandbox/inventory.yml's wizards on h14–h15; allegro's address has no sshd (unreachable). */
function writeInventory(): string {
  const sandbox = join(repoRoot, '.sandbox');
  const entry = (name: string, address: string, port: number, user: string, gatewayPort: number) => `
        ${name}:
          ansible_host: ${address}
          ansible_port: ${port}
          ansible_user: ${user}
          ansible_ssh_private_key_file: ${sandbox}/client_key
          ansible_ssh_common_args: "-o UserKnownHostsFile=${sandbox}/known_hosts -o StrictHostKeyChecking=yes"
          ansible_python_interpreter: /usr/bin/python3
          agent_service_manager: pidfile
          agent_gateway_port: ${gatewayPort}
          agent_command: "/usr/bin/python3 ${repoRoot}/test/fleet/fixtures/stand_in_agent.py --port {{ agent_gateway_port }} --heartbeat {{ agent_heartbeat_file }}"
          config_upstream: {repo: "file://${sandbox}/wizard-config.git", branch: main, path: "wizards/{{ agent_name }}", recovery_endpoint: "file://${sandbox}/wizard-config.git"}
          config_repo_git_environment: {GIT_CONFIG_GLOBAL: "${sandbox}/gitconfig"}`;
  const wizard = (name: Wizard) => entry(name, host(name).address, host(name).port, host(name).user, PORTS[name]);
  const path = join(work, 'inventory.yml');
  writeFileSync(
    path,
    `all:
  children:
    wizards:
      hosts:${wizard('bezalel')}${wizard('ezra')}${entry('allegro', host('ezra').address, 2, host('ezra').user, 18772)}
      vars:
        wizard_root: "{{ ansible_user_dir }}/${ROOT}"
        agent_home: "{{ wizard_root }}/{{ inventory_hostname }}/home"
`,
  );
  return path;
}

function resetHosts(): void {
  for (const wizard of Object.keys(WIZARDS) as Wizard[]) {
    const h = host(wizard);
    execFileSync('sh', ['-c', `pkill -u ${h.user} -f 'stand_in_agent.py --port ${PORTS[wizard]}' || true`]);
    rmSync(join(h.home, ROOT), { recursive: true, force: true });
    // The deadman's cron job would take snapshots and roll back on its own during the tests.
    execFileSync('sh', ['-c', `crontab -r -u ${h.user} 2>/dev/null || true`]);
  }
}

/** An older snapshot beside the one the deadman keeps, as the wizard's user wrote it. */
function seedOlderSnapshot(wizard: Wizard, text: string): void {
  const dir = home(wizard, `last-known-good/${OLDER_SNAPSHOT}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.yaml'), text);
  writeFileSync(join(dir, 'SHA256SUMS'), `${sha256(text)}  config.yaml\n`);
  execFileSync('chown', ['-R', host(wizard).user, dir]);
}

beforeAll(async () => {
  ensureSandbox(15);
  execFileSync('sh', [join(repoRoot, 'sandbox', 'prepare.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  work = mkdtempSync(join(tmpdir(), 'fleet-rollback-'));
  bin = fleetBinDir();
  inventory = writeInventory();
  resetHosts();
  const converge = await fleetApply({ inventory: [inventory], playbook: join(repoRoot, 'playbooks', 'site.yml'), limit: 'bezalel,ezra', vaultPasswordFile: sandboxVaultPasswordFile });
  expect(converge.exitCode, converge.output).toBe(0);
  execFileSync('sh', ['-c', `crontab -r -u ${host('bezalel').user}; crontab -r -u ${host('ezra').user}`]);
  for (const wizard of Object.keys(WIZARDS) as Wizard[]) {
    // A healthy deadman round keeps config.yaml as the last-known-good snapshot.
    expect(asUser(wizard, `${home(wizard, 'bin/deadman')} ${home(wizard, 'deadman.conf')}`).status).toBe(0);
    seedOlderSnapshot(wizard, `# ${wizard}'s config of long ago\n${read(wizard, 'config.yaml')}`);
    expect(snapshots(wizard)).toHaveLength(2);
  }
}, 240_000);

afterAll(() => {
  resetHosts();
  rmSync(work, { recursive: true, force: true });
  rmSync(bin, { recursive: true, force: true });
});

// Each CLI run starts tsx cold (seconds on a loaded machine); a test makes up to three.
describe('fleet rollback', { timeout: 180_000 }, () => {
  it('lists each wizard\'s snapshots, oldest first, marking the latest and the one config.yaml is', () => {
    const run = fleetRollback('--limit', 'bezalel', '--list');
    expect(run.status, run.stderr).toBe(0);
    const good = read('bezalel', 'config.yaml');
    expect(run.stdout).toBe(`bezalel:\n  ${OLDER_SNAPSHOT}  ${sha256(`# bezalel's config of long ago\n${good}`).slice(0, 12)}\n  ${latestSnapshot('bezalel')}  ${sha256(good).slice(0, 12)}  (latest, current config.yaml)\n`);
  });

  it('refuses a limit of every host or of no host, touching nothing', () => {
    const before = state('bezalel');
    for (const limit of ['all', 'nosuch']) {
      const run = fleetRollback('--limit', limit);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(limit === 'all' ? /--limit all would roll back every wizard/ : /--limit nosuch matches no host/);
    }
    expect(state('bezalel')).toEqual(before);
  });

  it('--check shows the diff and changes nothing', () => {
    const good = read('bezalel', 'config.yaml');
    corrupt('bezalel', 'model: {broken\n');
    const before = state('bezalel');
    const run = fleetRollback('--limit', 'bezalel', '--check');
    expect(run.status, run.stderr).toBe(0);
    const latest = latestSnapshot('bezalel');
    expect(run.stdout).toContain(`bezalel: config.yaml -> snapshot ${latest}\n--- before: bezalel config.yaml\n+++ after: bezalel snapshot ${latest}\n@@ -1 +1,${good.split('\n').length - 1} @@\n-model: {broken\n+`);
    expect(run.stdout).toContain(`bezalel: would restore snapshot ${latest} and restart the agent (check mode: nothing changed)\n`);
    expect(state('bezalel')).toEqual(before);
  });

  it('restores the latest snapshot byte for byte, restarts the agent and logs the rollback; the other wizard is untouched', () => {
    const latest = latestSnapshot('bezalel');
    const snapshot = read('bezalel', `last-known-good/${latest}/config.yaml`);
    const corrupted = read('bezalel', 'config.yaml');
    const pid = agentPid('bezalel');
    const ezra = state('ezra');
    const run = fleetRollback('--limit', 'bezalel');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('-model: {broken\n');
    expect(run.stdout).toContain(`bezalel: restored snapshot ${latest}; the agent restarted and is healthy\n`);
    expect(read('bezalel', 'config.yaml')).toBe(snapshot);
    expect((statSync(home('bezalel', 'config.yaml')).mode & 0o777).toString(8)).toBe('444');
    expect(agentRunning('bezalel')).toBe(true);
    expect(agentPid('bezalel')).not.toBe(pid);
    expect(rollbackRows('bezalel')).toBe(`bezalel|deadman|last-known-good|${home('bezalel', 'config.yaml')}|rollback|old_config_sha256=${sha256(corrupted)} new_config_sha256=${sha256(snapshot)}\n`);
    expect(state('ezra')).toEqual(ezra);
    expect(agentRunning('ezra')).toBe(true);
  });

  it('--to restores a named older snapshot; a second run has nothing to do', () => {
    const current = read('ezra', 'config.yaml');
    const older = read('ezra', `last-known-good/${OLDER_SNAPSHOT}/config.yaml`);
    const run = fleetRollback('--limit', 'ezra', '--to', OLDER_SNAPSHOT);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`+# ezra's config of long ago\n`);
    expect(read('ezra', 'config.yaml')).toBe(older);
    expect(agentRunning('ezra')).toBe(true);
    expect(rollbackRows('ezra')).toBe(`ezra|deadman|last-known-good|${home('ezra', 'config.yaml')}|rollback|old_config_sha256=${sha256(current)} new_config_sha256=${sha256(older)}\n`);
    const again = fleetRollback('--limit', 'ezra', '--to', OLDER_SNAPSHOT);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe(`ezra: config.yaml already is snapshot ${OLDER_SNAPSHOT}; nothing to roll back\n`);
    expect(rollbackRows('ezra').split('\n')).toHaveLength(2);
  });

  it('fails clearly on an unknown snapshot, and exits 4 when a named wizard is unreachable, rolling back none of them', () => {
    corrupt('bezalel', 'model: {broken again\n');
    const before = state('bezalel');
    const unknown = fleetRollback('--limit', 'bezalel', '--to', '20991231T000000Z');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain(`bezalel has no snapshot 20991231T000000Z (snapshots: ${OLDER_SNAPSHOT}, ${latestSnapshot('bezalel')}; see fleet rollback --list); nothing rolled back\n`);
    const unreachable = fleetRollback('--limit', 'bezalel,allegro');
    expect(unreachable.status).toBe(4);
    expect(unreachable.stderr).toMatch(/^allegro: UNREACHABLE: /m);
    expect(state('bezalel')).toEqual(before);
  });
});
