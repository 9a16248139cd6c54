/**
 * `npm run bench`: the benchmark playbook (scripts/bench-playbook: five roles, fourteen
 * tasks) on the loopback sandbox hosts, run by ansible-playbook (pipelining on) and by fleet
 * in the same session — a converge from nothing and a no-change run for each — printing the
 * wall-clock times, fleet's speed-up, the CPU time each used on the controller (GNU time:
 * the command and its children, and the background processes that hold its SSH connections
 * between runs), and the CPU time the whole machine was busy during the run
 * (controller and loopback hosts together, as the hosts share this machine's cores). With
 * `--hosts N` (N > 4) it also times fleet alone on N hosts (with `--forks N` when N > 16, as
 * an operator running that many hosts at once would). Not a test: the machine's load
 * decides the absolute numbers, the ratio is what to read.
 *
 *   npm run bench [-- --hosts 64] [-- --skip-ansible]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureSandbox, inventoryFile, repoRoot, type SandboxHost } from '../test/support/sandbox.js';

const args = process.argv.slice(2);
const hostsIndex = args.indexOf('--hosts');
const hostCount = hostsIndex >= 0 ? Number(args[hostsIndex + 1]) : 4;
const skipAnsible = args.includes('--skip-ansible');
const playbook = join(repoRoot, 'scripts', 'bench-playbook', 'site.yml');
const fleet = join(repoRoot, 'bin', 'fleet.js');
/**
 * h31–h34: above every host the test suite uses (h1–h30), so a benchmark and `npm test` can
 * run side by side without resetting each other's hosts.
 */
const FOUR_HOSTS_FROM = 31;
/** The many-host run starts above the four (h36–h99 for `--hosts 64`). */
const MANY_HOSTS_FROM = 36;

function reset(hosts: SandboxHost[]): void {
  for (const host of hosts) {
    rmSync(join(host.home, 'bench'), { recursive: true, force: true });
    spawnSync('crontab', ['-r', '-u', host.user], { stdio: 'ignore' });
  }
}

/**
 * Wall-clock seconds; the CPU seconds the command and its children used (GNU time); and the
 * CPU seconds the whole machine was busy meanwhile (/proc/stat), which adds the loopback hosts'
 * sshd and shells: on one machine they share the cores with the controller.
 */
interface Timing {
  wall: number;
  cpu: number | null;
  machineCpu: number | null;
}

/** Busy CPU seconds of the whole machine since boot (Linux), or null. */
function machineBusySeconds(): number | null {
  let line: string;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  } catch {
    return null;
  }
  // cpu  user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  const ticks = [user, nice, system, irq, softirq].reduce<number>((sum, value) => sum + (value ?? 0), 0);
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ: 100 on every Linux architecture fleet's hosts run. */
const CLOCK_TICKS_PER_SECOND = 100;

const GNU_TIME = '/usr/bin/time';

/**
 * The background processes that hold a tool's SSH connections between its runs: fleet's
 * connection keeper, and the OpenSSH ControlPersist masters of Ansible's ssh connection
 * (`ssh: ~/.ansible/cp/… [mux]`). Neither is a child of the run it serves, so GNU time leaves
 * them out; their work (the hosts' SSH connections) is the tool's all the same.
 */
const CONNECTION_HOLDERS = {
  fleet: (argv: string[]) => argv.includes('connection-keeper'),
  ansible: (argv: string[]) => argv.length === 1 && /^ssh: .*\[mux\]$/.test(argv[0] ?? ''),
};

/** CPU seconds used so far by each running process whose argv `holds` matches (Linux /proc), by pid. */
function holderCpuSeconds(holds: (argv: string[]) => boolean): Map<number, number> {
  const used = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return used;
  }
  for (const pid of pids) {
    try {
      if (!holds(readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean))) continue;
      // utime and stime are the 14th and 15th fields; the 2nd, (comm), may hold spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const [utime, stime] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 13).map(Number);
      used.set(Number(pid), ((utime ?? 0) + (stime ?? 0)) / CLOCK_TICKS_PER_SECOND);
    } catch {
      // Gone meanwhile.
    }
  }
  return used;
}

/** What the holders used between two readings; one started meanwhile counts from nothing (one that ended, not at all). */
function holderCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

function timed(command: string, argv: string[], env: NodeJS.ProcessEnv = {}, holds: (argv: string[]) => boolean = () => false): Timing {
  const cpuFile = join(mkdtempSync(join(tmpdir(), 'fleet-bench-time-')), 'cpu');
  const withTime = existsSync(GNU_TIME);
  const holdersBefore = holderCpuSeconds(holds);
  const busyBefore = machineBusySeconds();
  const start = performance.now();
  const result = withTime
    ? spawnSync(GNU_TIME, ['-f', '%U %S', '-o', cpuFile, command, ...argv], { env: { ...process.env, ...env }, encoding: 'utf8' })
    : spawnSync(command, argv, { env: { ...process.env, ...env }, encoding: 'utf8' });
  const wall = (performance.now() - start) / 1000;
  const busyAfter = machineBusySeconds();
  const holders = holderCpuBetween(holdersBefore, holderCpuSeconds(holds));
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`${command} exited ${result.status}`);
  }
  const cpu = withTime ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number).reduce((a, b) => a + b, holders) : null;
  rmSync(dirname(cpuFile), { recursive: true, force: true });
  const machineCpu = busyBefore === null || busyAfter === null ? null : busyAfter - busyBefore;
  return { wall, cpu, machineCpu };
}

/**
 * NODE_EXTRA_CA_CERTS (set machine-wide on some development boxes) makes every node start
 * parse that CA bundle — 80 ms on the 2-core development machine, a tenth of a no-change run.
 * fleet opens no TLS connection, so it is left out of fleet's environment and said so.
 */
const FLEET_ENV: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: undefined };

const seconds = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${value.toFixed(2)} s`);

function row(label: string, ansible: Timing | null, fleetRun: Timing): string {
  const ratio = ansible === null ? '' : `${(ansible.wall / fleetRun.wall).toFixed(1)}×`;
  const cells = [seconds(ansible?.wall), seconds(fleetRun.wall), ratio, seconds(ansible?.cpu), seconds(fleetRun.cpu), seconds(ansible?.machineCpu), seconds(fleetRun.machineCpu)];
  return `${label.padEnd(22)} ${cells.map((cell) => cell.padStart(10)).join(' ')}`;
}

/**
 * An inventory of just the measured hosts, with the sandbox inventory's connection settings:
 * both tools parse the inventory on every run, and the sandbox's grows with the many-host run.
 */
function inventoryOf(hosts: SandboxHost[]): string {
  const sandbox = readFileSync(inventoryFile(), 'utf8');
  const vars = sandbox.slice(sandbox.indexOf('\n  vars:\n') + 1);
  const entries = hosts.map((host) => `    ${host.name}:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n`);
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-bench-')), 'inventory.yml');
  writeFileSync(file, `all:\n  hosts:\n${entries.join('')}${vars}`);
  return file;
}

function measure(hosts: SandboxHost[], withAnsible: boolean): string[] {
  const inventory = inventoryOf(hosts);
  let ansibleConverge: Timing | null = null;
  let ansibleNoChange: Timing | null = null;
  if (withAnsible) {
    reset(hosts);
    const env = { ANSIBLE_PIPELINING: 'True', ANSIBLE_HOST_KEY_CHECKING: 'True' };
    ansibleConverge = timed('ansible-playbook', ['-i', inventory, playbook], env, CONNECTION_HOLDERS.ansible);
    ansibleNoChange = timed('ansible-playbook', ['-i', inventory, playbook], env, CONNECTION_HOLDERS.ansible);
  }
  reset(hosts);
  // More hosts than the default 16 forks run in waves; an operator with that many sets --forks.
  const forks = hosts.length > 16 ? ['--forks', String(hosts.length)] : [];
  const fleetConverge = timed('node', [fleet, 'apply', ...forks, '-i', inventory, playbook], FLEET_ENV, CONNECTION_HOLDERS.fleet);
  const fleetNoChange = timed('node', [fleet, 'apply', ...forks, '-i', inventory, playbook], FLEET_ENV, CONNECTION_HOLDERS.fleet);
  reset(hosts);
  return [row(`converge (${hosts.length} hosts)`, ansibleConverge, fleetConverge), row(`no change (${hosts.length} hosts)`, ansibleNoChange, fleetNoChange)];
}

// bin/fleet.js runs the bundle, so only it is built (a type error elsewhere in the tree does not stop a benchmark).
await import('./bundle.js');
const manyHosts = hostCount > 4 ? hostCount : 0;
const all = ensureSandbox(MANY_HOSTS_FROM - 1 + manyHosts);
const four = all.slice(FOUR_HOSTS_FROM - 1, FOUR_HOSTS_FROM + 3);
// The first run after a build writes the code cache (bin/code-cache.js), as a deployment's
// first run would: a check-mode run, which changes nothing, warms it with apply's code.
reset(four);
timed('node', [fleet, 'apply', '--check', '-i', inventoryOf(four), playbook], FLEET_ENV);
const header = ['ansible', 'fleet', 'speed-up', 'ansible cpu', 'fleet cpu', 'ans. mach.', 'fleet mach.'];
const lines = [`${'run'.padEnd(22)} ${header.map((cell) => cell.padStart(10)).join(' ')}`];
lines.push(...measure(four, !skipAnsible));
if (manyHosts > 0) lines.push(...measure(all.slice(MANY_HOSTS_FROM - 1, MANY_HOSTS_FROM - 1 + manyHosts), false));
if (process.env.NODE_EXTRA_CA_CERTS) lines.push('(fleet ran without NODE_EXTRA_CA_CERTS, which this environment sets: fleet makes no TLS connection)');
process.stdout.write(`${lines.join('\n')}\n`);
