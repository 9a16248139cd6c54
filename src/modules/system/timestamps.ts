/**
 * `start`/`end`/`delta` as Ansible's command module reports them: `str(datetime.now())` and
 * `str(end - start)` on the host, e.g. `2026-11-26 23:11:05.123456` and `0:00:00.003245`.
 *
 * The host prints `date '+%Y-%m-%d %H:%M:%S %N %z'`. GNU date fills `%N` with nanoseconds,
 * so the host's own clock gives microseconds. BSD/macOS date has no `%N`; there the time is
 * the controller's clock measured around the round trip, shown in the host's UTC offset.
 */
export const HOST_CLOCK_FORMAT = '+%Y-%m-%d %H:%M:%S %N %z';

/** Microseconds since the epoch, and the host's UTC offset in minutes. */
export interface HostTime {
  epochMicros: number;
  offsetMinutes: number;
}

const HOST_CLOCK = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) (\S+) ([+-])(\d\d)(\d\d)$/;

/** Reads a host clock line; when it lacks sub-seconds, `controllerMillis` supplies the time. */
export function readHostTime(line: string, controllerMillis: number): HostTime {
  const match = HOST_CLOCK.exec(line.trim());
  if (!match) return { epochMicros: Math.round(controllerMillis * 1000), offsetMinutes: -new Date(controllerMillis).getTimezoneOffset() };
  const [, y, mo, d, h, mi, s, nanos, sign, oh, om] = match as unknown as string[];
  const offsetMinutes = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (!/^\d{9}$/.test(nanos as string)) return { epochMicros: Math.round(controllerMillis * 1000), offsetMinutes };
  const localMillis = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const epochSeconds = localMillis / 1000 - offsetMinutes * 60;
  return { epochMicros: epochSeconds * 1_000_000 + Math.floor(Number(nanos) / 1000), offsetMinutes };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Python's `str(datetime)` of a host-local time: the fraction is omitted when it is zero. */
export function formatDateTime(time: HostTime): string {
  const localMicros = time.epochMicros + time.offsetMinutes * 60_000_000;
  const micros = ((localMicros % 1_000_000) + 1_000_000) % 1_000_000;
  const date = new Date((localMicros - micros) / 1000);
  const text = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return micros === 0 ? text : `${text}.${pad(micros, 6)}`;
}

/** Python's `str(timedelta)`: `[-]D day[s], H:MM:SS[.ffffff]` with days floored. */
export function formatDelta(micros: number): string {
  const dayMicros = 86_400_000_000;
  const days = Math.floor(micros / dayMicros);
  let rest = micros - days * dayMicros;
  const fraction = rest % 1_000_000;
  rest = (rest - fraction) / 1_000_000;
  const clock = `${Math.floor(rest / 3600)}:${pad(Math.floor(rest / 60) % 60)}:${pad(rest % 60)}${fraction ? `.${pad(fraction, 6)}` : ''}`;
  return days === 0 ? clock : `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${clock}`;
}
