import { Script } from '../../shell/script.js';

export const APT_GET = 'DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true apt-get';

/**
 * The cache update of apt_repository (modules/apt_repository.py main()) and apt (update_cache):
 * up to `retries` tries, a sleep after each failure of 2**try seconds plus a jitter, capped at
 * `maxDelay` plus the jitter. python-apt's Cache.update() there; `apt-get update`, which fetches the same lists,
 * here. Emits `updated` on success, else `update_err` (the last failure's stderr).
 */
export function aptUpdateWithRetries(retries: number, maxDelay: number, jitter: number): Script {
  const delays = Array.from({ length: Math.max(0, retries) }, (_, attempt) => {
    const delay = 2 ** attempt + jitter;
    return Math.max(0, delay > maxDelay ? maxDelay + jitter : delay).toFixed(3);
  });
  if (delays.length === 0) return Script.raw("fleet_emit update_err ''");
  return Script.raw(`fleet_update_err='' fleet_updated=''
for fleet_delay in ${delays.join(' ')}; do
  if fleet_err=$(${APT_GET} update -q 2>&1 >/dev/null); then fleet_updated=1; break; fi
  fleet_update_err=$fleet_err
  sleep "$fleet_delay"
done
if [ -n "$fleet_updated" ]; then fleet_emit updated 1; else fleet_emit update_err "$fleet_update_err"; fi`);
}

/**
 * apt_pkg's error text for what `apt-get update` printed on stderr: each `E: …` line as
 * `E:…`, warnings and notices as `W:…`, joined by `, ` (python-apt's HandleErrors).
 */
export function aptErrorText(stderr: string): string {
  return stderr
    .split('\n')
    .flatMap((line) => {
      const match = /^([EWN]): (.*)$/.exec(line);
      return match ? [`${match[1] === 'E' ? 'E' : 'W'}:${match[2] ?? ''}`] : [];
    })
    .join(', ');
}
