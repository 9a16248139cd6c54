/** Running `fleet apply` from tests and looking at what it left on the sandbox hosts. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import { applyPlaybooks } from '../../src/executor/run_playbooks.js';
import { DefaultTextSink } from '../../src/output/default_text.js';
import type { SecretRegistry } from '../../src/secrets/registry.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';

export const fixtures = join(import.meta.dirname, 'fixtures');

/**
 * The apply tests run on sandbox hosts h6–h9 under the names h1–h4 the fixtures use, so they
 * never share users (homes, crontabs) with the fleet-content tests (h1–h4) or the
 * conformance runner (h5), which vitest may run at the same time.
 */
const FIRST_HOST = 6;

export function applyHosts(): SandboxHost[] {
  return ensureSandbox(FIRST_HOST + 3).slice(FIRST_HOST - 1, FIRST_HOST + 3);
}

/** An inventory naming the apply hosts h1–h4, written once per test process. */
export function applyInventory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-apply-inventory-'));
  const hosts = applyHosts()
    .map((host, index) => `    h${index + 1}:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n`)
    .join('');
  const first = applyHosts()[0] as SandboxHost;
  const file = join(dir, 'inventory.yml');
  writeFileSync(
    file,
    `all:\n  hosts:\n${hosts}  vars:\n    ansible_ssh_private_key_file: ${first.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`,
  );
  return file;
}
export const sitePlaybook = join(fixtures, 'site.yml');

export interface ApplyRun {
  exitCode: number;
  output: string;
  /** The run's SecretRegistry (vault plaintexts it decrypted). */
  secrets: SecretRegistry;
}

/** Runs fleet's apply in-process with ansible-playbook's flags; output captured as text. */
export async function fleetApply(args: { inventory: string[]; playbook?: string; limit?: string; check?: boolean; diff?: boolean; extraVars?: string[]; vaultPasswordFile?: string; flushCache?: boolean; cwd?: string }): Promise<ApplyRun> {
  const options = applyOptionsFrom(
    [args.playbook ?? sitePlaybook],
    {
      inventory: args.inventory,
      tags: [],
      skipTags: [],
      extraVars: args.extraVars ?? [],
      verbose: 0,
      ...(args.limit ? { limit: args.limit } : {}),
      ...(args.check ? { check: true } : {}),
      ...(args.diff ? { diff: true } : {}),
      ...(args.vaultPasswordFile ? { vaultPasswordFile: [args.vaultPasswordFile] } : {}),
      ...(args.flushCache ? { flushCache: true } : {}),
    },
    { ...process.env, ANSIBLE_TIMEOUT: '5' },
    args.cwd ?? fixtures,
  );
  let output = '';
  const sink = new DefaultTextSink({ write: (text) => (output += text), writeError: (text) => (output += text), color: false, verbosity: 0, terminalWidth: 0 });
  const result = await applyPlaybooks(options, sink);
  return { exitCode: result.exitCode, output, secrets: options.secrets };
}

/** The output of `playbook` run on the apply hosts, which must end with exit code 0. */
export async function successfulOutput(playbook: string): Promise<string> {
  const run = await fleetApply({ inventory: [applyInventory()], playbook });
  if (run.exitCode !== 0) throw new Error(`fleet apply ${playbook} exited ${run.exitCode}:\n${run.output}`);
  return run.output;
}

/** Runs ansible-playbook on the same inventory and playbook; stdout only (its warnings go to stderr). */
export function ansibleApply(inventory: string, playbook: string, more: { args?: string[]; cwd?: string } = {}): { exitCode: number; output: string } {
  try {
    const args = ['-i', inventory, ...(more.args ?? []), playbook];
    return { exitCode: 0, output: execFileSync('ansible-playbook', args, { encoding: 'utf8', cwd: more.cwd, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } }) };
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    return { exitCode: failed.status, output: failed.stdout };
  }
}

/**
 * Output split at its banners, for comparing fleet's with ansible-playbook's: hosts finish a
 * task in any order, and timings differ, so each banner's lines are a sorted set with the
 * timestamps blanked and the hosts of an `included:` line sorted.
 */
export function sortedSections(output: string): string[][] {
  const sections: string[][] = [];
  for (const line of output.split('\n')) {
    const cleaned = line
      .replace(/"(start|end|delta)": "[^"]*"/g, '"$1": "…"')
      // an include lists its hosts in the order their results came
      .replace(/^(included: \S+ for )(.+?)( => .*)?$/, (_all, head: string, hosts: string, tail: string | undefined) => `${head}${hosts.split(', ').sort().join(', ')}${tail ?? ''}`);
    if (/^(PLAY|TASK|RUNNING HANDLER|PLAY RECAP) /.test(line) || sections.length === 0) sections.push([cleaned]);
    else (sections[sections.length - 1] as string[]).push(cleaned);
  }
  return sections.map(([banner, ...lines]) => [banner as string, ...lines.sort()]);
}

/** `PLAY RECAP` counters by host, parsed from the text output. */
export function recap(output: string): Map<string, Record<string, number>> {
  const hosts = new Map<string, Record<string, number>>();
  const section = output.slice(output.lastIndexOf('PLAY RECAP'));
  for (const line of section.split('\n').slice(1)) {
    const match = /^(\S+)\s+:\s+(.*)$/.exec(line);
    if (!match) continue;
    const counters: Record<string, number> = {};
    for (const pair of (match[2] as string).trim().split(/\s+/)) {
      const [key, value] = pair.split('=');
      counters[key as string] = Number(value);
    }
    hosts.set(match[1] as string, counters);
  }
  return hosts;
}

/** Removes what the test playbook creates on a host: its app tree and its crontab. */
export function resetHost(host: SandboxHost): void {
  rmSync(join(host.home, 'app'), { recursive: true, force: true });
  spawnSync('crontab', ['-r', '-u', host.user], { stdio: 'ignore' });
}

/**
 * What the schedule role's cron job writes (every fifth minute, from the user's real crontab): the
 * cron daemon adds it whenever a fifth minute falls between a run and its snapshot, whichever
 * tool installed the job, so it is no tool's end state.
 */
const WRITTEN_BY_CRON = new Set(['log/heartbeat.log']);

/** Every file under the host's app dir with its mode and content, plus its crontab. */
export function snapshot(host: SandboxHost): Record<string, string> {
  const out: Record<string, string> = {};
  const root = join(host.home, 'app');
  const walk = (dir: string, rel: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      const key = `${rel}${name}`;
      if (WRITTEN_BY_CRON.has(key)) continue;
      const mode = (stat.mode & 0o7777).toString(8).padStart(4, '0');
      if (stat.isDirectory()) {
        out[`${key}/`] = mode;
        walk(path, `${key}/`);
      } else {
        out[key] = `${mode} ${readFileSync(path, 'utf8')}`;
      }
    }
  };
  walk(root, '');
  out['crontab'] = spawnSync('crontab', ['-l', '-u', host.user], { encoding: 'utf8' }).stdout;
  return out;
}

export function hasAnsible(): boolean {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
