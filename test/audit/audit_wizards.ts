/**
 * The wizards of the audit tests on sandbox hosts h16–h19 (allegro, bezalel, ezra, timmy),
 * with an inventory modelled on sandbox/inventory.yml, so they never share users, crontabs
 * or gateway ports with the fleet-content tests (h1–h4) that vitest may run at the same time.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ensureSandbox, knownHostsFile, repoRoot, sandboxHost } from '../support/sandbox.js';
import { crontab, WIZARDS, type Wizard, type WizardHost } from '../fleet/sandbox_wizards.js';

const FIRST_HOST = 16;
const GATEWAY_PORT_BASE = 18700;

export const sitePlaybook = join(repoRoot, 'playbooks', 'site.yml');

/** The sandbox-only vault password of group_vars/all/vault.yml's dummy keys, where the checkout's vault.yml is vaulted. */
const sandboxVaultPasswordFile = join(repoRoot, 'sandbox', 'vault-password.txt');
export const vaultPasswordFiles = (): string[] => (existsSync(sandboxVaultPasswordFile) ? [sandboxVaultPasswordFile] : []);

/** Starts h1–h19 if needed and the sandbox's local config repository (sandbox/prepare.sh). */
export function prepareAuditWizards(): WizardHost[] {
  ensureSandbox(FIRST_HOST + WIZARDS.length - 1);
  execFileSync('sh', [join(repoRoot, 'sandbox', 'prepare.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return WIZARDS.map(auditWizard);
}

const hostNumber = (wizard: Wizard) => FIRST_HOST + WIZARDS.indexOf(wizard);

export function auditWizard(wizard: Wizard): WizardHost {
  const host = sandboxHost(`h${hostNumber(wizard)}`);
  const root = wizard === 'timmy' ? join(host.home, '.hermes') : join(host.home, 'wizards');
  return { ...host, wizard, root, agentHome: wizard === 'timmy' ? root : join(root, wizard, 'home') };
}

/** Host vars of one wizard, as sandbox/inventory.yml's `sandbox_wizard` anchor sets them. */
function wizardVars(wizard: Wizard): Record<string, unknown> {
  const host = auditWizard(wizard);
  const sandbox = join(repoRoot, '.sandbox');
  return {
    ansible_host: host.address,
    ansible_port: host.port,
    ansible_user: host.user,
    ansible_ssh_private_key_file: host.keyFile,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes`,
    ansible_python_interpreter: '/usr/bin/python3',
    agent_service_manager: 'pidfile',
    agent_gateway_port: GATEWAY_PORT_BASE + hostNumber(wizard),
    agent_command: `/usr/bin/python3 ${join(repoRoot, 'test', 'fleet', 'fixtures', 'stand_in_agent.py')} --port {{ agent_gateway_port }} --heartbeat {{ agent_heartbeat_file }}`,
    config_upstream: { repo: `file://${sandbox}/wizard-config.git`, branch: 'main', path: 'wizards/{{ agent_name }}', recovery_endpoint: `file://${sandbox}/wizard-config.git` },
    config_repo_git_environment: { GIT_CONFIG_GLOBAL: join(sandbox, 'gitconfig') },
  };
}

/**
 * Writes the audit inventory to a new temp dir and returns its path. `extraVps` adds hosts
 * to the vps group (host name → vars over a copy of the named wizard's host vars).
 */
export function auditInventory(extraVps: Record<string, { like: Wizard; vars: Record<string, unknown> }> = {}): string {
  const vps: Record<string, unknown> = Object.fromEntries((['allegro', 'bezalel', 'ezra'] as const).map((wizard) => [wizard, wizardVars(wizard)]));
  for (const [name, extra] of Object.entries(extraVps)) vps[name] = { ...wizardVars(extra.like), ...extra.vars };
  const inventory = {
    all: {
      children: {
        wizards: {
          children: {
            vps: { hosts: vps, vars: { wizard_root: '{{ ansible_user_dir }}/wizards', agent_home: '{{ wizard_root }}/{{ inventory_hostname }}/home' } },
            mac: { hosts: { timmy: wizardVars('timmy') }, vars: { wizard_root: '{{ ansible_user_dir }}/.hermes', agent_home: '{{ wizard_root }}' } },
          },
        },
      },
    },
  };
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-audit-inventory-')), 'inventory.yml');
  writeFileSync(file, stringify(inventory));
  return file;
}

// The agent's and the deadman's runtime state, which change by themselves (heartbeat, logs, snapshots).
const RUNTIME_STATE = /\/home\/(?:state|logs|last-known-good)\/|^\.hermes\/(?:state|logs|last-known-good)\//;

/**
 * Every file, directory and symlink in the host user's home (mode, mtime, sha256 of the
 * content) except the agent's runtime state, plus the crontab: what a read-only audit
 * must leave byte for byte as it was.
 */
export function homeSnapshot(host: WizardHost): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const key = `${rel}${name}`;
      if (RUNTIME_STATE.test(`${key}/`)) continue;
      const stat = lstatSync(path);
      const mode = (stat.mode & 0o7777).toString(8).padStart(4, '0');
      if (stat.isDirectory()) {
        out[`${key}/`] = mode;
        walk(path, `${key}/`);
      } else if (stat.isSymbolicLink()) out[key] = `-> ${readlinkSync(path)}`;
      else out[key] = `${mode} ${stat.mtimeMs} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    }
  };
  walk(host.home, '');
  out['crontab'] = crontab(host);
  return out;
}
