/**
 * `npm run bench`: the benchmark playbook (scripts/bench-playbook: five roles, fourteen
 * tasks) on the loopback sandbox hosts, run by ansible-playbook (pipelining on) and by fleet
 * in the same session — a converge from nothing and a no-change run for each — printing the
 * times and fleet's speed-up. With `--hosts N` (N > 4) it also times fleet alone on N hosts.
 * Not a test: the machine's load decides the absolute numbers, the ratio is what to read.
 *
 *   npm run bench [-- --hosts 64] [-- --skip-ansible]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureSandbox, inventoryFile, repoRoot, type SandboxHost } from '../test/support/sandbox.js';

const args = process.argv.slice(2);
const hostsIndex = args.indexOf('--hosts');
const hostCount = hostsIndex >= 0 ? Number(args[hostsIndex + 1]) : 4;
const skipAnsible = args.includes('--skip-ansible');
const playbook = join(repoRoot, 'scripts', 'bench-playbook', 'site.yml');
const fleet = join(repoRoot, 'bin', 'fleet.js');
/** h6–h9: the apply tests' hosts (h1–h5 belong to the fleet sandbox and conformance). */
const FOUR_HOSTS_FROM = 6;
/** The many-host run starts above every host a test uses. */
const MANY_HOSTS_FROM = 20;

function reset(hosts: SandboxHost[]): void {
  for (const host of hosts) {
    rmSync(join(host.home, 'bench'), { recursive: true, force: true });
    spawnSync('crontab', ['-r', '-u', host.user], { stdio: 'ignore' });
  }
}

function timed(command: string, argv: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = performance.now();
  const result = spawnSync(command, argv, { env: { ...process.env, ...env }, encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`${command} exited ${result.status}`);
  }
  return seconds;
}

function row(label: string, ansible: number | null, fleetSeconds: number): string {
  const ratio = ansible === null ? '' : `${(ansible / fleetSeconds).toFixed(1)}×`;
  return `${label.padEnd(26)} ${ansible === null ? '—'.padStart(10) : `${ansible.toFixed(2)} s`.padStart(10)} ${`${fleetSeconds.toFixed(2)} s`.padStart(10)} ${ratio.padStart(8)}`;
}

function measure(hosts: SandboxHost[], withAnsible: boolean): string[] {
  const limitArgs = ['--limit', hosts.map((host) => host.name).join(',')];
  const inventory = inventoryFile();
  let ansibleConverge: number | null = null;
  let ansibleNoChange: number | null = null;
  if (withAnsible) {
    reset(hosts);
    const env = { ANSIBLE_PIPELINING: 'True', ANSIBLE_HOST_KEY_CHECKING: 'True' };
    ansibleConverge = timed('ansible-playbook', ['-i', inventory, ...limitArgs, playbook], env);
    ansibleNoChange = timed('ansible-playbook', ['-i', inventory, ...limitArgs, playbook], env);
  }
  reset(hosts);
  const fleetConverge = timed('node', [fleet, 'apply', '-i', inventory, ...limitArgs, playbook]);
  const fleetNoChange = timed('node', [fleet, 'apply', '-i', inventory, ...limitArgs, playbook]);
  reset(hosts);
  return [row(`converge (${hosts.length} hosts)`, ansibleConverge, fleetConverge), row(`no change (${hosts.length} hosts)`, ansibleNoChange, fleetNoChange)];
}

execFileSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
const manyHosts = hostCount > 4 ? hostCount : 0;
const all = ensureSandbox(manyHosts > 0 ? MANY_HOSTS_FROM - 1 + manyHosts : FOUR_HOSTS_FROM + 3);
const four = all.slice(FOUR_HOSTS_FROM - 1, FOUR_HOSTS_FROM + 3);
// The first run after a build writes the code cache (bin/code-cache.js), as a deployment's
// first run would: a check-mode run, which changes nothing, warms it with apply's code.
reset(four);
timed('node', [fleet, 'apply', '--check', '-i', inventoryFile(), '--limit', four.map((host) => host.name).join(','), playbook]);
const lines = [`${'run'.padEnd(26)} ${'ansible'.padStart(10)} ${'fleet'.padStart(10)} ${'speed-up'.padStart(8)}`];
lines.push(...measure(four, !skipAnsible));
if (manyHosts > 0) lines.push(...measure(all.slice(MANY_HOSTS_FROM - 1, MANY_HOSTS_FROM - 1 + manyHosts), false));
process.stdout.write(`${lines.join('\n')}\n`);
