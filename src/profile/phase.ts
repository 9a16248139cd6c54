/**
 * `FLEET_PROFILE=1`: one stderr line per phase of a run (milliseconds since the process
 * started), to see where the time of `fleet apply` goes without a CPU profiler. The first
 * line gives the start as a Unix time in ms, to line phases up with traces of the hosts.
 */
const enabled = process.env.FLEET_PROFILE === '1';
let started = false;

export function phase(label: string): void {
  if (!enabled) return;
  if (!started) {
    started = true;
    process.stderr.write(`[profile] process started at ${performance.timeOrigin.toFixed(1)} ms (Unix time)\n`);
  }
  process.stderr.write(`[profile] ${performance.now().toFixed(1).padStart(8)} ms  ${label}\n`);
}
