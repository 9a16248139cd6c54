import type { PyObject, PyValue } from '../values.js';
import { PyCallable, typeError } from '../python/index.js';

/**
 * Python's `datetime.datetime`, as far as templates use it: what `now()` returns, printed as
 * `2024-05-01 12:00:00.123456`, with its date fields and `strftime`.
 */
export class PyDatetime implements PyObject {
  readonly pyType = 'datetime';
  readonly pyQualifiedName = 'datetime.datetime';

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
