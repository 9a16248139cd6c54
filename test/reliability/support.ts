/** Running the real `fleet` CLI against the reliability suite's sandbox hosts (h24–h27). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';
import { fleetProgram } from '../support/fleet_cli.js';

/** Other suites own h1–h21; these tests may kill, stop or break h24–h27 only. */
const FIRST_HOST = 24;
const HOST_COUNT = 4;

export function reliabilityHosts(): SandboxHost[] {
  return ensureSandbox(FIRST_HOST + HOST_COUNT - 1).slice(FIRST_HOST - 1, FIRST_HOST - 1 + HOST_COUNT);
}

export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `fleet-reliability-${prefix}-`));
}

export interface InventoryHost {
  name: string;
  address: string;
  port: number;
  user: string;
  keyFile: string;
}

/** A YAML inventory of the given hosts with strict host key checking against `knownHosts`. */
export function writeInventory(dir: string, hosts: readonly InventoryHost[], knownHosts = knownHostsFile(), extraSshArgs = ''): string {
  const keyFile = hosts[0]?.keyFile ?? '';
  const entries = hosts
    .map((host) => `    ${host.name}:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n`)
    .join('');
  const file = join(dir, 'inventory.yml');
  writeFileSync(
    file,
    `all:\n  hosts:\n${entries}  vars:\n    ansible_ssh_private_key_file: ${keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes${extraSshArgs ? ` ${extraSshArgs}` : ''}\n`,
  );
  return file;
}

export interface FleetRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** Starts `fleet ARGS` as its own process (node itself, no wrapper process, so a signal sent to it reaches fleet). */
export function startFleet(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): { child: ChildProcess; done: Promise<FleetRun> } {
  const started = Date.now();
  const child = spawn(...fleetProgram(args), {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', FLEET_HISTORY_DB: join(options.cwd, 'history.db'), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<FleetRun>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - started }));
  });
  return { child, done };
}

export function runFleet(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<FleetRun> {
  return startFleet(args, options).done;
}

export { recap } from '../apply/support.js';
