/**
 * The systemd unit and the launchd plist wizard_base installs on the real fleet, checked by
 * the tools that read them. The sandbox hosts have neither systemd nor launchd running, so
 * the wizards are converged with the pidfile backend first, then a check-mode diff with
 * agent_service_manager switched shows the unit and plist exactly as the real hosts get
 * them: `systemd-analyze verify` checks the unit; the plist is parsed by Python's plistlib and
 * its ProgramArguments are started the way launchd would (environment, working directory,
 * log paths) to show they bring the agent up with its .env loaded.
 * Hosts h20 (bezalel) and h21 (timmy), apart from the other fleet suites.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import { applyPlaybooks } from '../../src/executor/run_playbooks.js';
import { JsonSink } from '../../src/output/json_sink.js';
import { ensureSandbox, repoRoot, sandboxHost, type SandboxHost } from '../support/sandbox.js';
import { sandboxVaultPasswordFile } from './sandbox_wizards.js';

const WIZARDS = { bezalel: 'h20', timmy: 'h21' } as const;
type Wizard = keyof typeof WIZARDS;
const PORTS: Record<Wizard, number> = { bezalel: 18760, timmy: 18761 };

let work: string;
let inventory: string;
const host = (wizard: Wizard): SandboxHost => sandboxHost(WIZARDS[wizard]);

/** sandbox/inventory.yml's wizards on this suite's hosts, with the sandbox paths made absolute. */
function writeInventory(): string {
  const sandbox = join(repoRoot, '.sandbox');
  const wizard = (name: Wizard) => {
    const h = host(name);
    return `
            ${name}:
              ansible_host: ${h.address}
              ansible_port: ${h.port}
              ansible_user: ${h.user}
              ansible_ssh_private_key_file: ${sandbox}/client_key
              ansible_ssh_common_args: "-o UserKnownHostsFile=${sandbox}/known_hosts -o StrictHostKeyChecking=yes"
              ansible_python_interpreter: /usr/bin/python3
              agent_service_manager: pidfile
              agent_gateway_port: ${PORTS[name]}
              agent_command: "/usr/bin/python3 ${repoRoot}/test/fleet/fixtures/stand_in_agent.py --port {{ agent_gateway_port }} --heartbeat {{ agent_heartbeat_file }}"
              config_upstream: {repo: "file://${sandbox}/wizard-config.git", branch: main, path: "wizards/{{ agent_name }}", recovery_endpoint: "file://${sandbox}/wizard-config.git"}
              config_repo_git_environment: {GIT_CONFIG_GLOBAL: "${sandbox}/gitconfig"}`;
  };
  const path = join(work, 'inventory.yml');
  writeFileSync(
    path,
    `all:
  children:
    wizards:
      children:
        vps:
          hosts:${wizard('bezalel')}
          vars:
            wizard_root: "{{ ansible_user_dir }}/wizards"
            agent_home: "{{ wizard_root }}/{{ inventory_hostname }}/home"
        mac:
          hosts:${wizard('timmy')}
          vars:
            wizard_root: "{{ ansible_user_dir }}/.hermes"
            agent_home: "{{ wizard_root }}"
`,
  );
  return path;
}

function resetHosts(): void {
  for (const wizard of Object.keys(WIZARDS) as Wizard[]) {
    const h = host(wizard);
    execFileSync('sh', ['-c', `pkill -u ${h.user} -f stand_in_agent.py || true`]);
    rmSync(join(h.home, 'wizards'), { recursive: true, force: true });
    rmSync(join(h.home, '.hermes'), { recursive: true, force: true });
    execFileSync('sh', ['-c', `crontab -r -u ${h.user} 2>/dev/null || true`]);
  }
}

interface JsonReport {
  plays: { tasks: { task: { name: string }; hosts: Record<string, { changed?: boolean; diff?: { after?: string }[] }> }[] }[];
  stats: Record<string, { failures: number; unreachable: number }>;
}

async function apply(options: { check?: boolean; limit?: string; extraVars?: string[] }): Promise<JsonReport> {
  const applyOptions = applyOptionsFrom(
    [join(repoRoot, 'playbooks', 'site.yml')],
    { inventory: [inventory], vaultPasswordFile: [sandboxVaultPasswordFile], tags: [], skipTags: [], extraVars: options.extraVars ?? [], verbose: 0, check: options.check, diff: options.check, ...(options.limit ? { limit: options.limit } : {}) },
    { ...process.env, ANSIBLE_TIMEOUT: '5' },
    repoRoot,
  );
  let text = '';
  const result = await applyPlaybooks(applyOptions, new JsonSink((chunk) => (text += chunk)));
  const report = JSON.parse(text) as JsonReport;
  if (result.exitCode !== 0) throw new Error(`fleet apply exited ${result.exitCode}: ${JSON.stringify(report.stats)}`);
  return report;
}

/** The content a check-mode diff says the named task would write on the wizard. */
function plannedContent(report: JsonReport, taskName: string, wizard: Wizard): string {
  for (const play of report.plays)
    for (const task of play.tasks) {
      const after = task.task.name.endsWith(taskName) ? task.hosts[wizard]?.diff?.[0]?.after : undefined;
      if (after !== undefined) return after;
    }
  throw new Error(`no diff for ${taskName} on ${wizard}`);
}

beforeAll(async () => {
  ensureSandbox(21);
  execFileSync('sh', [join(repoRoot, 'sandbox', 'prepare.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  work = mkdtempSync(join(tmpdir(), 'fleet-backends-'));
  inventory = writeInventory();
  resetHosts();
  await apply({});
}, 180_000);

afterAll(() => {
  resetHosts();
  rmSync(work, { recursive: true, force: true });
});

describe('agent service backends of the real fleet', () => {
  it('the systemd unit of a VPS wizard passes systemd-analyze verify and starts the agent command with its .env', async () => {
    const report = await apply({ check: true, limit: 'bezalel', extraVars: ['agent_service_manager=systemd', `wizard_base_systemd_unit_dir=${work}`] });
    const unit = plannedContent(report, 'Install the systemd unit', 'bezalel');
    const agentHome = join(host('bezalel').home, 'wizards', 'bezalel', 'home');
    expect(unit).toContain(`\nEnvironmentFile=-${agentHome}/.env\n`);
    expect(unit).toContain(`\nWorkingDirectory=${agentHome}\n`);
    expect(unit).toMatch(/\nExecStart=\/usr\/bin\/python3 \S+stand_in_agent\.py --port 18760 --heartbeat \S+\n/);
    const unitFile = join(work, 'hermes-bezalel.service');
    writeFileSync(unitFile, unit);
    const verify = execFileSync('sh', ['-c', 'systemd-analyze verify "$1" 2>&1; echo "rc=$?"', 'sh', unitFile], { encoding: 'utf8' });
    expect(verify.trim()).toBe('rc=0');
    // agentctl drives the agent through systemctl once the manager is systemd.
    expect(plannedContent(report, 'Install agentctl', 'bezalel')).toContain("\nMANAGER=systemd\n");
  });

  it('the launchd plist of the Mac wizard parses and its ProgramArguments start the agent with its .env', async () => {
    const report = await apply({ check: true, limit: 'timmy', extraVars: ['agent_service_manager=launchd'] });
    const plistText = plannedContent(report, 'Install the launchd agent', 'timmy');
    const plist = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', 'import json, plistlib, sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))'], { input: plistText, encoding: 'utf8' }),
    ) as { Label: string; ProgramArguments: string[]; EnvironmentVariables: Record<string, string>; WorkingDirectory: string; StandardOutPath: string; RunAtLoad: boolean };
    const timmy = host('timmy');
    const agentHome = join(timmy.home, '.hermes');
    expect(plist.Label).toBe('ai.hermes.timmy');
    expect(plist.RunAtLoad).toBe(true);
    expect(plist.WorkingDirectory).toBe(agentHome);
    expect(plist.EnvironmentVariables).toEqual({ HERMES_HOME: agentHome });

    // Stop the pidfile agent the converge started, then start the plist's program as launchd would.
    execFileSync('runuser', ['-u', timmy.user, '--', join(agentHome, 'bin', 'agentctl'), 'stop']);
    const probe = join(timmy.home, 'env-seen');
    writeFileSync(probe, '');
    execFileSync('chown', [timmy.user, probe]);
    const [program, ...args] = plist.ProgramArguments as [string, ...string[]];
    // Before exec'ing the agent, the script records the environment the agent gets.
    const script = (args[1] as string).replace(/exec (.*)$/, `env > ${probe}; exec $1`);
    const child = spawn('runuser', ['-u', timmy.user, '--', 'env', '-i', `HOME=${timmy.home}`, 'PATH=/usr/bin:/bin', ...Object.entries(plist.EnvironmentVariables).map(([k, v]) => `${k}=${v}`), program, '-c', script], {
      cwd: plist.WorkingDirectory,
      stdio: 'ignore',
    });
    try {
      let seen = '';
      for (let tries = 0; tries < 50 && !seen.includes('KIMI_API_KEY='); tries += 1) {
        await new Promise((done) => setTimeout(done, 200));
        seen = readFileSync(probe, 'utf8');
      }
      expect(seen).toContain(`HERMES_HOME=${agentHome}\n`);
      expect(seen).toMatch(/^KIMI_API_KEY=./m);
      let answered = false;
      for (let tries = 0; tries < 50 && !answered; tries += 1) {
        answered = await fetch(`http://127.0.0.1:${PORTS.timmy}/`).then((response) => response.ok, () => false);
        if (!answered) await new Promise((done) => setTimeout(done, 200));
      }
      expect(answered).toBe(true);
    } finally {
      child.kill();
      rmSync(probe, { force: true });
      execFileSync('sh', ['-c', `pkill -u ${timmy.user} -f stand_in_agent.py || true`]);
    }
  });
});
