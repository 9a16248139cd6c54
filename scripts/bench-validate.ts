/**
 * Times `fleet validate` on the whole project as a pre-commit hook runs it: the wall clock of
 * `node bin/fleet.js validate` from the repository root (node start-up, the bundle through
 * its code cache, and the validation), `runs` times; prints each run, the best and the
 * median, with the process's CPU time (user + system), which a busy machine inflates far
 * less than the wall clock. Builds first (`npm run build`) unless given --no-build.
 *
 *   npx tsx scripts/bench-validate.ts [runs] [--no-build]
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 7);
const root = join(import.meta.dirname, '..');
// Loaded before the CLI: reports the process's own CPU time when it exits.
const CPU_REPORT = 'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write(`fleet-bench-cpu ${(u.user+u.system)/1e6}\\n`)})';

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!spawnSync(process.execPath, [join(root, 'bin', 'fleet.js'), '--help'], { cwd: root }).stdout.length) throw new Error(`the build failed (npm run build exited ${build.status})`);
}

const times: number[] = [];
const cpuTimes: number[] = [];
for (let run = 0; run < RUNS; run += 1) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', CPU_REPORT, join(root, 'bin', 'fleet.js'), 'validate'], { cwd: root, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  const cpu = Number(/fleet-bench-cpu (\S+)/.exec(result.stderr)?.[1] ?? NaN);
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`fleet validate exited ${result.status}`);
  }
  times.push(seconds);
  cpuTimes.push(cpu);
  process.stdout.write(`run ${run + 1}: ${seconds.toFixed(3)} s wall, ${cpu.toFixed(3)} s CPU  (${result.stdout.trim()})\n`);
}
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `best ${(sorted[0] as number).toFixed(3)} s, median ${(sorted[Math.floor(sorted.length / 2)] as number).toFixed(3)} s`;
};
process.stdout.write(`fleet validate, whole project, incl. node start-up: wall ${summary(times)}; CPU ${summary(cpuTimes)} (load average ${loadavg()[0]?.toFixed(1)})\n`);
