import { strptime } from '../../template/filters/time.js';
import type { PyDatetime } from '../../template/runtime/datetime.js';
import { ArgumentError } from '../argspec.js';

/**
 * The file module's modification_time / access_time: `preserve` (leave), `now`, or a time
 * in a strptime format. Explicit times become `touch -t` stamps, which the host reads in
 * its own local time zone, as Ansible's time.mktime on the host does.
 */
export type TimeWant = { kind: 'preserve' } | { kind: 'now' } | { kind: 'stamp'; stamp: string };

const pad = (value: number) => String(value).padStart(2, '0');

export function timeWant(value: string | null, format: string, defaultKind: 'preserve' | 'now'): TimeWant {
  const given = value ?? defaultKind;
  if (given === 'preserve') return { kind: 'preserve' };
  if (given === 'now') return { kind: 'now' };
  let parts: PyDatetime;
  try {
    // The same datetime.strptime the to_datetime filter uses.
    parts = strptime(given, format);
  } catch (error) {
    throw new ArgumentError(`Error while obtaining timestamp for time ${given} using format ${format}: ${(error as Error).message}`);
  }
  const stamp = `${String(parts.year).padStart(4, '0')}${pad(parts.month)}${pad(parts.day)}${pad(parts.hour)}${pad(parts.minute)}.${pad(parts.second)}`;
  return { kind: 'stamp', stamp };
}
