/** A throwaway git project whose inventory names sandbox host h11 several times, and `fleet` run in it. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ensureSandbox, knownHostsFile, sandboxHost, type SandboxHost } from '../support/sandbox.js';
import { fleetProgram } from '../support/fleet_cli.js';

export const HISTORY_HOST = 'h11';

/** A sandbox host (`h11` unless a test file has hosts of its own), started if need be. */
export function historyHost(name = HISTORY_HOST): SandboxHost {
  ensureSandbox(Number(name.slice(1)));
  return sandboxHost(name);
}

/**
 * `web1` and `web2` are h11 (or `hostName`) under two names (each works in its own
 * directory); `down` is its address on a port nothing listens on, so it is unreachable.
 */
export function makeProject(files: Record<string, string>, hostName = HISTORY_HOST): string {
  const host = historyHost(hostName);
  const dir = mkdtempSync(join(tmpdir(), 'fleet-history-'));
  // Each project works in its own directory on the host, so test files running at once never meet.
  const entry = (name: string, port: number) => `    ${name}:\n      ansible_host: ${host.address}\n      ansible_port: ${port}\n      ansible_user: ${host.user}\n`;
  writeFileSync(
    join(dir, 'inventory.yml'),
    `all:\n  hosts:\n${entry('web1', host.port)}${entry('web2', host.port)}${entry('down', 9)}  vars:\n    ansible_ssh_private_key_file: ${host.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    work: ${workDir(dir, hostName)}/{{ inventory_hostname }}\n`,
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  writeFileSync(join(dir, '.gitignore'), '.fleet/\n');
  git('add', '.');
  git('commit', '-q', '-m', 'project');
  return dir;
}

export function headCommit(dir: string): string {
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
}

/** Where a project's hosts keep their files on h11 (or `hostName`). */
export function workDir(project: string, hostName = HISTORY_HOST): string {
  return join(historyHost(hostName).home, 'history', basename(project));
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The program and arguments that run `fleet ARGS`. */
export const fleetCommand = fleetProgram;

/** `fleet ARGS` as its own process in `cwd` (no terminal: no colours, no live line). */
export function fleet(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(...fleetCommand(args), { cwd, env: { ...process.env, NO_COLOR: '1', ANSIBLE_TIMEOUT: '5', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
