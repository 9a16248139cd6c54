/**
 * `FLEET_PROFILE=1`: one stderr line per phase of a run (milliseconds since the process
 * started), to see where the time of `fleet apply` goes without a CPU profiler. The first
 * line gives the start as a Unix time in ms, to line phases up with traces of the hosts.
 * Each line also gives the CPU time (user + system) the process has used so far: on a busy
 * machine wall time mostly measures waiting, CPU time what fleet itself costs.
 */
const enabled = process.env.FLEET_PROFILE === '1';
let started = false;

export function phase(label: string): void {
  if (!enabled) return;
  if (!started) {
    started = true;
    process.stderr.write(`[profile] process started at ${performance.timeOrigin.toFixed(1)} ms (Unix time)\n`);
  }
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stderr.write(`[profile] ${performance.now().toFixed(1).padStart(8)} ms ${cpuMs.toFixed(1).padStart(8)} ms CPU  ${label}\n`);
}
