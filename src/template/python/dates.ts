import { PyDatetime, PyTimedelta } from '../runtime/datetime.js';
import type { PyObject, PyValue } from '../values.js';
import { valueError } from './errors.js';
import { PyCallable } from './types.js';

// The datetime values YAML timestamps load as (PyYAML's construct_yaml_timestamp): a
// `datetime.date` for `2024-01-15`, a `datetime.datetime` for a time of day, aware when the
// text gives a zone. Kept out of index.ts: runtime/datetime.ts itself imports the index.

const MICROS_PER_DAY = 86_400_000_000;
const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** Days since 1970-01-01 of a proleptic Gregorian date. */
const epochDay = (year: number, month: number, day: number): number => {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / 86_400_000);
};

/** datetime.date(): ValueError for a day the month does not have, as Python raises. */
function checkDate(year: number, month: number, day: number): void {
  if (year < 1 || year > 9999) throw valueError(`year ${year} is out of range`);
  if (month < 1 || month > 12) throw valueError('month must be in 1..12');
  const last = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
  if (day < 1 || day > last) throw valueError('day is out of range for month');
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Python's `datetime.date`. */
export class PyDate implements PyObject {
  readonly pyType = 'date';
  readonly pyQualifiedName = 'datetime.date';
  readonly pyTpName = 'datetime.date';

  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {
    checkDate(year, month, day);
  }

  private static fromEpochDay(days: number): PyDate {
    const d = new Date(days * 86_400_000);
    return new PyDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }

  isoformat(): string {
    return `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}`;
  }

  pyStr(): string {
    return this.isoformat();
  }

  pyRepr(): string {
    return `datetime.date(${this.year}, ${this.month}, ${this.day})`;
  }

  /** Dates order among themselves; against a datetime Python refuses (date.__lt__ → NotImplemented). */
  pyOrder(other: PyValue): number | undefined {
    if (!(other instanceof PyDate)) return undefined;
    return Math.sign(epochDay(this.year, this.month, this.day) - epochDay(other.year, other.month, other.day));
  }

  /** date ± timedelta (whole days only, as date.__add__ uses) and date - date. */
  pyBinary(op: '+' | '-', other: PyValue, reflected: boolean): PyValue | undefined {
    const days = epochDay(this.year, this.month, this.day);
    if (other instanceof PyTimedelta) {
      if (op === '-' && reflected) return undefined;
      return PyDate.fromEpochDay(days + (op === '+' ? other.days : -other.days));
    }
    if (op === '-' && other instanceof PyDate) {
      const diff = days - epochDay(other.year, other.month, other.day);
      return new PyTimedelta((reflected ? -diff : diff) * MICROS_PER_DAY);
    }
    return undefined;
  }

  pyGetAttr(name: string): PyValue | undefined {
    const midnight = new PyDatetime(this.year, this.month, this.day, 0, 0, 0, 0);
    switch (name) {
      case 'year':
      case 'month':
      case 'day':
        return this[name];
      case 'isoformat':
        return new PyCallable('isoformat', () => this.isoformat());
      case 'strftime':
      case 'weekday':
      case 'isoweekday':
        return midnight.pyGetAttr(name);
      default:
        return undefined;
    }
  }
}

/**
 * A `datetime.datetime` with a fixed UTC offset (`datetime.timezone`), as a YAML timestamp
 * with a zone loads. It prints and serialises with its offset; fleet's naive arithmetic and
 * ordering do not apply to it, so it compares only with other aware datetimes, in UTC.
 */
export class PyAwareDatetime extends PyDatetime {
  constructor(
    year: number,
    month: number,
    day: number,
    hour: number,
    minute: number,
    second: number,
    microsecond: number,
    /** The offset from UTC in minutes. */
    readonly offsetMinutes: number,
  ) {
    super(year, month, day, hour, minute, second, microsecond);
  }

  private get utcMicroseconds(): number {
    const local = Date.UTC(2000, 0, 1, this.hour, this.minute, this.second) - Date.UTC(2000, 0, 1);
    return (epochDay(this.year, this.month, this.day) * 86_400_000 + local - this.offsetMinutes * 60_000) * 1000 + this.microsecond;
  }

  /** `+HH:MM` as datetime.isoformat() writes the offset. */
  private get offsetText(): string {
    const m = this.offsetMinutes;
    return `${m < 0 ? '-' : '+'}${pad(Math.trunc(m / 60))}:${pad(m % 60)}`;
  }

  override isoformat(sep = 'T'): string {
    return super.isoformat(sep) + this.offsetText;
  }

  override pyRepr(): string {
    const base = super.pyRepr().slice(0, -1);
    if (this.offsetMinutes === 0) return `${base}, tzinfo=datetime.timezone.utc)`;
    // timedelta's repr normalises a negative offset to days=-1 plus positive seconds.
    const tz = new PyTimedelta(this.offsetMinutes * 60_000_000).pyRepr();
    return `${base}, tzinfo=datetime.timezone(${tz}))`;
  }

  override pyOrder(other: PyValue): number | undefined {
    return other instanceof PyAwareDatetime ? Math.sign(this.utcMicroseconds - other.utcMicroseconds) : undefined;
  }

  override pyBinary(op: '+' | '-', other: PyValue, reflected: boolean): PyValue | undefined {
    if (op === '-' && other instanceof PyAwareDatetime) {
      const diff = this.utcMicroseconds - other.utcMicroseconds;
      return new PyTimedelta(reflected ? -diff : diff);
    }
    return undefined;
  }
}
