import { PyFloat, type PyObject, type PyValue } from '../values.js';
import { PyCallable, typeError } from '../python/index.js';

const MICROS_PER_DAY = 86_400_000_000;

/** Python's `datetime.timedelta`: what subtracting two datetimes gives. */
export class PyTimedelta implements PyObject {
  readonly pyType = 'timedelta';
  readonly pyQualifiedName = 'datetime.timedelta';
  readonly pyTpName = 'datetime.timedelta';
  readonly days: number;
  readonly seconds: number;
  readonly microseconds: number;

  /** Normalised as Python does: 0 <= seconds < 86400, 0 <= microseconds < 10**6, days signed. */
  constructor(readonly totalMicroseconds: number) {
    this.days = Math.floor(totalMicroseconds / MICROS_PER_DAY);
    const rest = totalMicroseconds - this.days * MICROS_PER_DAY;
    this.seconds = Math.floor(rest / 1_000_000);
    this.microseconds = rest - this.seconds * 1_000_000;
  }

  pyStr(): string {
    const h = Math.floor(this.seconds / 3600);
    const m = Math.floor((this.seconds % 3600) / 60);
    const s = this.seconds % 60;
    let out = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
    if (this.microseconds) out += `.${String(this.microseconds).padStart(6, '0')}`;
    if (this.days) out = `${this.days} day${Math.abs(this.days) === 1 ? '' : 's'}, ${out}`;
    return out;
  }

  pyRepr(): string {
    const parts = (['days', 'seconds', 'microseconds'] as const).filter((k) => this[k] !== 0).map((k) => `${k}=${this[k]}`);
    return `datetime.timedelta(${parts.length ? parts.join(', ') : '0'})`;
  }

  pyTruthy(): boolean {
    return this.totalMicroseconds !== 0;
  }

  pyGetAttr(name: string): PyValue | undefined {
    if (name === 'days' || name === 'seconds' || name === 'microseconds') return this[name];
    if (name === 'total_seconds') return new PyCallable('total_seconds', () => new PyFloat(this.totalMicroseconds / 1_000_000));
    return undefined;
  }

  pyBinary(op: '+' | '-', other: PyValue, reflected: boolean): PyValue | undefined {
    if (!(other instanceof PyTimedelta)) return undefined;
    const [a, b] = reflected ? [other, this] : [this, other];
    return new PyTimedelta(op === '+' ? a.totalMicroseconds + b.totalMicroseconds : a.totalMicroseconds - b.totalMicroseconds);
  }

  pyOrder(other: PyValue): number | undefined {
    return other instanceof PyTimedelta ? Math.sign(this.totalMicroseconds - other.totalMicroseconds) : undefined;
  }
}

/**
 * Python's `datetime.datetime`, as far as templates use it: what `now()` returns, printed as
 * `2024-05-01 12:00:00.123456`, with its date fields and `strftime`.
 */
export class PyDatetime implements PyObject {
  readonly pyType = 'datetime';
  readonly pyQualifiedName = 'datetime.datetime';
  readonly pyTpName = 'datetime.datetime';

  constructor(
    /** Wall-clock fields (local or UTC as the caller chose). */
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    readonly microsecond: number,
  ) {}

  static now(utc: boolean): PyDatetime {
    const d = new Date();
    const micro = d.getMilliseconds() * 1000 + Math.floor((performance.now() % 1) * 1000);
    return utc
      ? new PyDatetime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), micro)
      : new PyDatetime(d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), micro);
  }

  /** `datetime.fromtimestamp(st_mtime)`: local wall-clock fields of a file time in nanoseconds. */
  static fromTimestampNs(nanoseconds: bigint): PyDatetime {
    const seconds = nanoseconds / 1_000_000_000n;
    const fraction = Number(nanoseconds % 1_000_000_000n) / 1000;
    // Python rounds the fraction to microseconds half to even.
    let micro = Math.round(fraction);
    if (Math.abs(fraction % 1) === 0.5 && micro % 2 === 1) micro -= 1;
    const d = new Date(Number(seconds) * 1000 + (micro === 1_000_000 ? 1000 : 0));
    return new PyDatetime(d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), micro % 1_000_000);
  }

  /** Microseconds since 0001-01-01 of the wall-clock fields (naive datetimes compare and subtract so). */
  private get ordinalMicroseconds(): number {
    const date = new Date(0);
    date.setUTCFullYear(this.year, this.month - 1, this.day);
    date.setUTCHours(this.hour, this.minute, this.second, 0);
    return date.getTime() * 1000 + this.microsecond;
  }

  private static fromMicroseconds(micros: number): PyDatetime {
    const millis = Math.floor(micros / 1000);
    const d = new Date(millis);
    return new PyDatetime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), micros - millis * 1000 + d.getUTCMilliseconds() * 1000);
  }

  pyBinary(op: '+' | '-', other: PyValue, reflected: boolean): PyValue | undefined {
    if (other instanceof PyTimedelta) {
      if (op === '-' && reflected) return undefined;
      return PyDatetime.fromMicroseconds(this.ordinalMicroseconds + (op === '+' ? other.totalMicroseconds : -other.totalMicroseconds));
    }
    if (op === '-' && other instanceof PyDatetime) {
      const diff = this.ordinalMicroseconds - other.ordinalMicroseconds;
      return new PyTimedelta(reflected ? -diff : diff);
    }
    return undefined;
  }

  pyOrder(other: PyValue): number | undefined {
    return other instanceof PyDatetime ? Math.sign(this.ordinalMicroseconds - other.ordinalMicroseconds) : undefined;
  }

  private get weekday(): number {
    return (new Date(Date.UTC(this.year, this.month - 1, this.day)).getUTCDay() + 6) % 7;
  }

  isoformat(sep = 'T'): string {
    const p = (n: number, w = 2): string => String(n).padStart(w, '0');
    const time = `${p(this.hour)}:${p(this.minute)}:${p(this.second)}${this.microsecond ? `.${p(this.microsecond, 6)}` : ''}`;
    return `${p(this.year, 4)}-${p(this.month)}-${p(this.day)}${sep}${time}`;
  }

  /** C strftime for the directives Python documents (https://docs.python.org/3/library/datetime.html#strftime-and-strptime-format-codes). */
  strftime(format: string): string {
    const p = (n: number, w = 2): string => String(n).padStart(w, '0');
    const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
    const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    const start = Date.UTC(this.year, 0, 1);
    const dayOfYear = Math.floor((Date.UTC(this.year, this.month - 1, this.day) - start) / 86400000) + 1;
    const epoch = Math.floor(new Date(this.year, this.month - 1, this.day, this.hour, this.minute, this.second).getTime() / 1000);
    return format.replace(/%([a-zA-Z%])/g, (whole, code: string) => {
      switch (code) {
        case 'Y':
          return String(this.year);
        case 'y':
          return p(this.year % 100);
        case 'm':
          return p(this.month);
        case 'd':
          return p(this.day);
        case 'H':
          return p(this.hour);
        case 'I':
          return p(this.hour % 12 || 12);
        case 'M':
          return p(this.minute);
        case 'S':
          return p(this.second);
        case 'f':
          return p(this.microsecond, 6);
        case 'p':
          return this.hour < 12 ? 'AM' : 'PM';
        case 'a':
          return (days[this.weekday] as string).slice(0, 3);
        case 'A':
          return days[this.weekday] as string;
        case 'b':
        case 'h':
          return (months[this.month - 1] as string).slice(0, 3);
        case 'B':
          return months[this.month - 1] as string;
        case 'j':
          return p(dayOfYear, 3);
        case 'w':
          return String((this.weekday + 1) % 7);
        case 'u':
          return String(this.weekday + 1);
        case 's':
          return String(epoch);
        case 'e':
          return String(this.day).padStart(2, ' ');
        case 'F':
          return `${p(this.year, 4)}-${p(this.month)}-${p(this.day)}`;
        case 'T':
          return `${p(this.hour)}:${p(this.minute)}:${p(this.second)}`;
        case 'D':
          return `${p(this.month)}/${p(this.day)}/${p(this.year % 100)}`;
        case 'z':
        case 'Z':
          return '';
        case '%':
          return '%';
        default:
          return whole;
      }
    });
  }

  pyStr(): string {
    return this.isoformat(' ');
  }

  pyRepr(): string {
    const fields = [this.year, this.month, this.day, this.hour, this.minute, this.second, this.microsecond];
    // datetime.__repr__ drops a zero microsecond, then a zero second; hour and minute always show.
    while (fields.length > 5 && fields[fields.length - 1] === 0) fields.pop();
    return `datetime.datetime(${fields.join(', ')})`;
  }

  pyGetAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
      case 'microsecond':
        return this[name];
      case 'strftime':
        return new PyCallable('strftime', ([fmt]) => {
          if (typeof fmt !== 'string') throw typeError('strftime() argument 1 must be str');
          return this.strftime(fmt);
        });
      case 'isoformat':
        return new PyCallable('isoformat', ([sep]) => this.isoformat(typeof sep === 'string' ? sep : 'T'));
      case 'weekday':
        return new PyCallable('weekday', () => this.weekday);
      case 'isoweekday':
        return new PyCallable('isoweekday', () => this.weekday + 1);
      default:
        return undefined;
    }
  }
}
