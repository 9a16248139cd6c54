/**
 * `npm run bench`: the multi-role test playbook on the loopback sandbox hosts, run by
 * ansible-playbook (pipelining on) and by fleet in the same session — a converge from
 * nothing and a no-change run for each — printing the times and fleet's speed-up.
 * With `--hosts N` (N > 4) it also times fleet alone on N hosts. Not a test: the machine's
 * load decides the absolute numbers, the ratio is what to read.
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
const playbook = join(repoRoot, 'test', 'apply', 'fixtures', 'site.yml');
const fleet = join(repoRoot, 'bin', 'fleet.js');

function reset(hosts: SandboxHost[]): void {
  for (const host of hosts) {
    rmSync(join(host.home, 'app'), { recursive: true, force: true });
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

function measure(hosts: SandboxHost[], limit: string | null, withAnsible: boolean): string[] {
  const limitArgs = limit ? ['--limit', limit] : [];
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
  return [row(`converge (${hosts.length} hosts)`, ansibleConverge, fleetConverge), row(`no change (${hosts.length} hosts)`, ansibleNoChange, fleetNoChange)];
}

execFileSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
// h6–h9, the hosts the apply tests use (h1–h5 belong to the fleet sandbox and conformance).
const all = ensureSandbox(Math.max(9, hostCount));
const four = all.slice(5, 9);
const lines = [`${'run'.padEnd(26)} ${'ansible'.padStart(10)} ${'fleet'.padStart(10)} ${'speed-up'.padStart(8)}`];
lines.push(...measure(four, four.map((host) => host.name).join(','), !skipAnsible));
if (hostCount > 4) lines.push(...measure(all.slice(0, hostCount), all.slice(0, hostCount).map((host) => host.name).join(','), false));
process.stdout.write(`${lines.join('\n')}\n`);
