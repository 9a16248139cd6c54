/**
 * The wizards of sandbox/inventory.yml on the loopback sshd hosts: allegro, bezalel, ezra
 * and timmy are h1…h4. Helpers to reset them, look at them and act on them as their own
 * user (as cron and the agent do).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSandbox, repoRoot, sandboxHost, type SandboxHost } from '../support/sandbox.js';

export const WIZARDS = ['allegro', 'bezalel', 'ezra', 'timmy'] as const;
export type Wizard = (typeof WIZARDS)[number];

export const sandboxInventory = join(repoRoot, 'sandbox', 'inventory.yml');
export const playbook = (name: string) => join(repoRoot, 'playbooks', `${name}.yml`);
/** The sandbox-only vault password that decrypts group_vars/all/vault.yml's dummy secrets. */
export const sandboxVaultPasswordFile = join(repoRoot, 'sandbox', 'vault-password.txt');
/** The dummy keys of group_vars/all/vault.yml: they must never appear in fleet's output. */
export const DUMMY_SECRETS = ['dummy-kimi-key-0000-not-a-secret', 'dummy-openrouter-key-0000-not-a-secret'];

const SANDBOX_HOST: Record<Wizard, string> = { allegro: 'h1', bezalel: 'h2', ezra: 'h3', timmy: 'h4' };

export interface WizardHost extends SandboxHost {
  wizard: Wizard;
  /** wizard_root of sandbox/inventory.yml. */
  root: string;
  agentHome: string;
}

/** Starts the sandbox hosts and the local config repository (sandbox/prepare.sh). */
export function prepareWizards(): WizardHost[] {
  ensureSandbox(4);
  execFileSync('sh', [join(repoRoot, 'sandbox', 'prepare.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return WIZARDS.map(wizardHost);
}

export function wizardHost(wizard: Wizard): WizardHost {
  const host = sandboxHost(SANDBOX_HOST[wizard]);
  const root = wizard === 'timmy' ? join(host.home, '.hermes') : join(host.home, 'wizards');
  return { ...host, wizard, root, agentHome: wizard === 'timmy' ? root : join(root, wizard, 'home') };
}

/** Runs a shell command as the wizard's user with cron's environment (no login, minimal PATH). */
export function asCron(host: WizardHost, command: string): { status: number; stdout: string; stderr: string } {
  const result = spawnSync('runuser', ['-u', host.user, '--', 'env', '-i', `HOME=${host.home}`, `LOGNAME=${host.user}`, 'SHELL=/bin/sh', 'PATH=/usr/bin:/bin', '/bin/sh', '-c', command], {
    encoding: 'utf8',
    cwd: host.home,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function crontab(host: WizardHost): string {
  return spawnSync('crontab', ['-l', '-u', host.user], { encoding: 'utf8' }).stdout;
}

export function setCrontab(host: WizardHost, text: string): void {
  execFileSync('crontab', ['-u', host.user, '-'], { input: text });
}

/** Stops the wizard's agent, removes its tree and the fleet entries of its crontab (other entries stay). */
export function resetWizard(host: WizardHost): void {
  const agentctl = join(host.agentHome, 'bin', 'agentctl');
  if (existsSync(agentctl)) asCron(host, `${agentctl} stop`);
  rmSync(host.root, { recursive: true, force: true });
  const kept: string[] = [];
  const lines = crontab(host).split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    if ((lines[index] as string).startsWith('#Ansible: fleet:')) index += 1;
    else kept.push(lines[index] as string);
  }
  setCrontab(host, kept.join('\n').replace(/\n*$/, '\n'));
}

// What changes by itself on a converged wizard (paths relative to wizard_root): the agent's
// and the deadman's runtime state, git's own bookkeeping, and the SQLite file (its schema is
// compared instead).
const VOLATILE = /^(?:[^/]+\/home\/)?(?:(?:state|logs|last-known-good)\/.|config-repo\/\.git\/)|^request_log\/request_log\.sqlite3$/;

/**
 * Every file and directory under the wizard's root with its mode (files with content),
 * plus the request log's schema and the crontab: what two converges must agree on.
 */
export function wizardSnapshot(host: WizardHost): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const key = `${rel}${name}`;
      const stat = lstatSync(path);
      const mode = (stat.mode & 0o7777).toString(8).padStart(4, '0');
      if (VOLATILE.test(key)) continue;
      if (stat.isDirectory()) {
        out[`${key}/`] = mode;
        walk(path, `${key}/`);
      } else out[key] = `${mode} ${readFileSync(path, 'utf8')}`;
    }
  };
  walk(host.root, '');
  out['request_log schema'] = requestLog(host, '.schema');
  out['crontab'] = crontab(host);
  return out;
}

export function requestLogFile(host: WizardHost): string {
  return join(host.root, 'request_log', 'request_log.sqlite3');
}

/** sqlite3 on the wizard's request log, as the wizard's user. */
export function requestLog(host: WizardHost, sql: string): string {
  return execFileSync('runuser', ['-u', host.user, '--', 'sqlite3', requestLogFile(host), sql], { encoding: 'utf8' });
}
