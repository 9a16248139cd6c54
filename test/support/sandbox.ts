/**
 * Reaching the sandbox hosts (scripts/sandbox-hosts.sh: one loopback sshd per simulated host)
 * from tests. Call `ensureSandbox()` in `beforeAll`; it starts the hosts only if needed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SshTarget } from '../../src/connections/types.js';

export interface SandboxHost {
  /** Inventory name: h1, h2, … */
  name: string;
  address: string;
  port: number;
  /** The Unix user the host's sshd admits; its home is the host's "disk". */
  user: string;
  home: string;
  keyFile: string;
  pidFile: string;
  /** The host's ed25519 public key (what its sshd presents). */
  hostKeyPub: string;
}

interface SandboxState {
  stateDir: string;
  port: number;
  keyFile: string;
  knownHostsFile: string;
  inventory: string;
  hosts: SandboxHost[];
}

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(repoRoot, 'scripts', 'sandbox-hosts.sh');

export function sandboxDir(): string {
  return process.env.FLEET_SANDBOX_DIR ?? join(repoRoot, '.sandbox');
}

/** Starts at least `count` sandbox hosts unless they already run; returns all of them. */
export function ensureSandbox(count = 4): SandboxHost[] {
  const current = readState();
  if (!current || current.hosts.length < count || !current.hosts.every(isRunning)) {
    execFileSync(script, ['up', String(count)], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return sandboxHosts();
}

export function sandboxHosts(): SandboxHost[] {
  return requireState().hosts;
}

export function sandboxHost(name: string): SandboxHost {
  const host = sandboxHosts().find((each) => each.name === name);
  if (!host) throw new Error(`no sandbox host ${name}; run ensureSandbox() first`);
  return host;
}

/** known_hosts with every sandbox host's key, as `[127.0.1.N]:port ssh-ed25519 …` lines. */
export function knownHostsFile(): string {
  return requireState().knownHostsFile;
}

/** The Ansible YAML inventory of the sandbox hosts, usable by ansible-playbook and fleet. */
export function inventoryFile(): string {
  return requireState().inventory;
}

/** An SshTarget for a sandbox host with strict host key checking; override what a test varies. */
export function sandboxTarget(name: string, overrides: Partial<SshTarget> = {}): SshTarget {
  const host = sandboxHost(name);
  return {
    host: host.name,
    address: host.address,
    port: host.port,
    user: host.user,
    privateKeyFile: host.keyFile,
    knownHostsFile: knownHostsFile(),
    hostKeyChecking: 'strict',
    connectTimeoutMs: 10_000,
    ...overrides,
  };
}

function readState(): SandboxState | undefined {
  const file = join(sandboxDir(), 'hosts.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as SandboxState;
}

function requireState(): SandboxState {
  const state = readState();
  if (!state) throw new Error(`sandbox not set up in ${sandboxDir()}; call ensureSandbox() first`);
  return state;
}

function isRunning(host: SandboxHost): boolean {
  try {
    const pid = Number(readFileSync(host.pidFile, 'utf8').trim());
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
