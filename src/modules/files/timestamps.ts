import { ArgumentError } from '../argspec.js';

/**
 * The file module's modification_time / access_time: `preserve` (leave), `now`, or a time
 * in a strptime format. Explicit times become `touch -t` stamps, which the host reads in
 * its own local time zone, as Ansible's time.mktime on the host does.
 */
export type TimeWant = { kind: 'preserve' } | { kind: 'now' } | { kind: 'stamp'; stamp: string };

const FIELDS: Record<string, { pattern: string; name: keyof Parts }> = {
  Y: { pattern: '(\\d{4})', name: 'year' },
  m: { pattern: '(\\d{1,2})', name: 'month' },
  d: { pattern: '(\\d{1,2})', name: 'day' },
  H: { pattern: '(\\d{1,2})', name: 'hour' },
  M: { pattern: '(\\d{1,2})', name: 'minute' },
  S: { pattern: '(\\d{1,2})', name: 'second' },
  y: { pattern: '(\\d{2})', name: 'year' },
};

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function strptime(text: string, format: string): Parts {
  const names: [keyof Parts, string][] = [];
  let pattern = '';
  for (let i = 0; i < format.length; i++) {
    const char = format[i] as string;
    if (char === '%' && i + 1 < format.length) {
      const directive = format[++i] as string;
      if (directive === '%') {
        pattern += '%';
        continue;
      }
      const known = FIELDS[directive];
      if (!known) throw new ArgumentError(`fleet does not support the strptime directive %${directive}`);
      pattern += known.pattern;
      names.push([known.name, directive]);
    } else {
      pattern += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const match = new RegExp(`^${pattern}$`).exec(text);
  if (!match) throw new ArgumentError(`time data '${text}' does not match format '${format}'`);
  const parts: Parts = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  names.forEach(([name, directive], index) => {
    const value = Number(match[index + 1]);
    parts[name] = directive === 'y' ? (value < 69 ? 2000 + value : 1900 + value) : value;
  });
  return parts;
}

const pad = (value: number) => String(value).padStart(2, '0');

export function timeWant(value: string | null, format: string, defaultKind: 'preserve' | 'now'): TimeWant {
  const given = value ?? defaultKind;
  if (given === 'preserve') return { kind: 'preserve' };
  if (given === 'now') return { kind: 'now' };
  let parts: Parts;
  try {
    parts = strptime(given, format);
  } catch (error) {
    throw new ArgumentError(`Error while obtaining timestamp for time ${given} using format ${format}: ${(error as Error).message}`);
  }
  const stamp = `${String(parts.year).padStart(4, '0')}${pad(parts.month)}${pad(parts.day)}${pad(parts.hour)}${pad(parts.minute)}.${pad(parts.second)}`;
  return { kind: 'stamp', stamp };
}
