import { PyError, pyTruthy, strRepr } from '../python/index.js';
import type { Filter } from '../registry.js';
import { PyDatetime } from '../runtime/datetime.js';
import { filterError, text, toPyFloat } from './common.js';
import { bind } from './signature.js';

/** strftime and to_datetime (lib/ansible/plugins/filter/core.py), in the controller's time zone. */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface BrokenDownTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  /** Offset east of UTC in minutes. */
  offset: number;
  zone: string;
  epoch: number;
}

function brokenDown(epochSeconds: number, utc: boolean): BrokenDownTime {
  const date = new Date(Math.trunc(epochSeconds) * 1000);
  if (utc) {
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      weekday: date.getUTCDay(),
      offset: 0,
      zone: 'GMT',
      epoch: Math.trunc(epochSeconds),
    };
  }
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName')?.value;
  const offset = -date.getTimezoneOffset();
  return {
    year: date.getFullYear(),
    month: date.getMonth() + 1,
    day: date.getDate(),
    hour: date.getHours(),
    minute: date.getMinutes(),
    second: date.getSeconds(),
    weekday: date.getDay(),
    offset,
    zone: offset === 0 && (zone === undefined || zone === 'UTC' || zone === 'GMT') ? 'UTC' : (zone ?? ''),
    epoch: Math.trunc(epochSeconds),
  };
}

const pad = (n: number, width = 2, fill = '0'): string => String(n).padStart(width, fill);

function dayOfYear(t: BrokenDownTime): number {
  return Math.round((Date.UTC(t.year, t.month - 1, t.day) - Date.UTC(t.year, 0, 1)) / 86_400_000) + 1;
}

function weekNumber(t: BrokenDownTime, firstDay: 0 | 1): number {
  const yday = dayOfYear(t) - 1;
  const wday = firstDay === 0 ? t.weekday : (t.weekday + 6) % 7;
  return Math.floor((yday + 7 - wday) / 7);
}

/** ISO 8601 week-based year and week (%G, %V). */
function isoWeek(t: BrokenDownTime): { year: number; week: number } {
  const date = new Date(Date.UTC(t.year, t.month - 1, t.day));
  const weekday = (t.weekday + 6) % 7;
  date.setUTCDate(date.getUTCDate() - weekday + 3);
  const year = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round((date.getTime() - firstThursday.getTime()) / 86_400_000 / 7 - ((firstThursday.getUTCDay() + 6) % 7 - 3) / 7);
  return { year, week };
}

/** glibc's strftime for the conversions Python's time.strftime passes through. */
export function strftime(format: string, t: BrokenDownTime): string {
  const hour12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
  const sign = t.offset < 0 ? '-' : '+';
  const codes: Record<string, () => string> = {
    a: () => (DAYS[t.weekday] ?? '').slice(0, 3),
    A: () => DAYS[t.weekday] ?? '',
    b: () => (MONTHS[t.month - 1] ?? '').slice(0, 3),
    h: () => (MONTHS[t.month - 1] ?? '').slice(0, 3),
    B: () => MONTHS[t.month - 1] ?? '',
    c: () => strftime('%a %b %e %H:%M:%S %Y', t),
    C: () => pad(Math.floor(t.year / 100)),
    d: () => pad(t.day),
    D: () => strftime('%m/%d/%y', t),
    e: () => pad(t.day, 2, ' '),
    F: () => strftime('%Y-%m-%d', t),
    g: () => pad(isoWeek(t).year % 100),
    G: () => String(isoWeek(t).year),
    H: () => pad(t.hour),
    I: () => pad(hour12),
    j: () => pad(dayOfYear(t), 3),
    k: () => pad(t.hour, 2, ' '),
    l: () => pad(hour12, 2, ' '),
    m: () => pad(t.month),
    M: () => pad(t.minute),
    n: () => '\n',
    p: () => (t.hour < 12 ? 'AM' : 'PM'),
    P: () => (t.hour < 12 ? 'am' : 'pm'),
    r: () => strftime('%I:%M:%S %p', t),
    R: () => strftime('%H:%M', t),
    s: () => String(t.epoch),
    S: () => pad(t.second),
    t: () => '\t',
    T: () => strftime('%H:%M:%S', t),
    u: () => String(t.weekday === 0 ? 7 : t.weekday),
    U: () => pad(weekNumber(t, 0)),
    V: () => pad(isoWeek(t).week),
    w: () => String(t.weekday),
    W: () => pad(weekNumber(t, 1)),
    x: () => strftime('%m/%d/%y', t),
    X: () => strftime('%H:%M:%S', t),
    y: () => pad(t.year % 100),
    Y: () => String(t.year),
    z: () => `${sign}${pad(Math.floor(Math.abs(t.offset) / 60))}${pad(Math.abs(t.offset) % 60)}`,
    Z: () => t.zone,
    '%': () => '%',
  };
  return format.replace(/%([a-zA-Z%])/g, (whole, code: string) => codes[code]?.() ?? whole);
}

const strftimeFilter: Filter = (_env, value, call) => {
  const b = bind({ name: 'strftime', params: ['string_format', 'second=', 'utc='] }, value, call);
  const second = b.values.get('second');
  let epoch = Date.now() / 1000;
  if (second !== undefined && second !== null) {
    try {
      epoch = toPyFloat(second);
    } catch {
      throw filterError(`Invalid value for epoch value (${text(second)})`);
    }
  }
  return strftime(text(value), brokenDown(epoch, pyTruthy(b.values.get('utc') ?? false)));
};

type StrptimeField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'microsecond' | 'month_name' | 'year2' | 'ampm' | 'hour12';

// Python's _strptime.TimeRE patterns for the directives templates use.
const STRPTIME_FIELDS: Record<string, { pattern: string; field?: StrptimeField }> = {
  Y: { pattern: '(\\d\\d\\d\\d)', field: 'year' },
  y: { pattern: '(\\d\\d)', field: 'year2' },
  m: { pattern: '(1[0-2]|0[1-9]|[1-9])', field: 'month' },
  d: { pattern: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])', field: 'day' },
  H: { pattern: '(2[0-3]|[0-1]\\d|\\d)', field: 'hour' },
  I: { pattern: '(1[0-2]|0[1-9]|[1-9])', field: 'hour12' },
  M: { pattern: '([0-5]\\d|\\d)', field: 'minute' },
  S: { pattern: '(6[0-1]|[0-5]\\d|\\d)', field: 'second' },
  f: { pattern: '([0-9]{1,6})', field: 'microsecond' },
  p: { pattern: '(am|pm)', field: 'ampm' },
  B: { pattern: `(${MONTHS.join('|')})`, field: 'month_name' },
  b: { pattern: `(${MONTHS.map((m) => m.slice(0, 3)).join('|')})`, field: 'month_name' },
  '%': { pattern: '%' },
};

/** `datetime.strptime` for the numeric and English-name directives, with Python's messages. */
export function strptime(input: string, format: string): PyDatetime {
  const fields: StrptimeField[] = [];
  let pattern = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] ?? '';
    if (ch === '%' && i + 1 < format.length) {
      const directive = STRPTIME_FIELDS[format[i + 1] ?? ''];
      if (!directive) throw new PyError('ValueError', `'${format[i + 1]}' is a bad directive in format '${format}'`);
      pattern += directive.pattern;
      if (directive.field) fields.push(directive.field);
      i++;
    } else if (/\s/.test(ch)) pattern += '\\s+';
    else pattern += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(`^${pattern}`, 'i').exec(input);
  if (!m) throw new PyError('ValueError', `time data ${strRepr(input)} does not match format ${strRepr(format)}`);
  if (m[0].length < input.length) throw new PyError('ValueError', `unconverted data remains: ${input.slice(m[0].length)}`);
  const result = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0 };
  let pm: boolean | undefined;
  fields.forEach((field, i) => {
    const raw = (m[i + 1] ?? '').trim();
    if (field === 'month_name') result.month = MONTHS.findIndex((name) => name.toLowerCase().startsWith(raw.toLowerCase())) + 1;
    else if (field === 'year2') result.year = Number(raw) + (Number(raw) < 69 ? 2000 : 1900);
    else if (field === 'ampm') pm = raw.toLowerCase() === 'pm';
    else if (field === 'hour12') result.hour = Number(raw) % 12;
    else if (field === 'microsecond') result.microsecond = Number(raw.padEnd(6, '0'));
    else result[field] = Number(raw);
  });
  if (pm) result.hour += 12;
  const daysInMonth = new Date(Date.UTC(result.year, result.month, 0)).getUTCDate();
  if (result.day > daysInMonth) throw new PyError('ValueError', 'day is out of range for month');
  if (result.second > 59) throw new PyError('ValueError', 'second must be in 0..59');
  return new PyDatetime(result.year, result.month, result.day, result.hour, result.minute, result.second, result.microsecond);
}

const toDatetime: Filter = (_env, value, call) => {
  const b = bind({ name: 'to_datetime', params: ['string', 'format='] }, value, call);
  return strptime(text(value), text(b.values.get('format') ?? '%Y-%m-%d %H:%M:%S'));
};

export const timeFilters: Record<string, Filter> = {
  strftime: strftimeFilter,
  to_datetime: toDatetime,
};
