import { PyDict, PyFloat, PyTuple, type PyValue } from '../values.js';
import { dictGet } from './compare.js';
import { PyError, typeError, valueError } from './errors.js';
import { formatFloatAbs } from './floatfmt.js';
import { pyRepr } from './repr.js';
import { pyStr, pyTypeName } from './str.js';
import { isIntegral, isNumeric, isStr, normInt, numValue, strValue, type PyInt } from './types.js';

/** Python's printf-style `str % args` (https://docs.python.org/3/library/stdtypes.html#old-string-formatting). */

interface Spec {
  /** Where the conversion character is in the format string. */
  index: number;
  flags: string;
  width: number;
  precision: number | undefined;
  conv: string;
}

function pad(body: string, sign: string, spec: Spec, numeric: boolean): string {
  const total = sign.length + body.length;
  if (total >= spec.width) return sign + body;
  const fill = spec.width - total;
  if (spec.flags.includes('-')) return sign + body + ' '.repeat(fill);
  if (numeric && spec.flags.includes('0')) return sign + '0'.repeat(fill) + body;
  return ' '.repeat(fill) + sign + body;
}

function signOf(negative: boolean, flags: string): string {
  if (negative) return '-';
  if (flags.includes('+')) return '+';
  return flags.includes(' ') ? ' ' : '';
}

function integral(v: PyValue, conv: string): PyInt {
  if (isIntegral(v)) return typeof v === 'boolean' ? Number(v) : v;
  if (v instanceof PyFloat) {
    if (conv === 'd' || conv === 'i' || conv === 'u') {
      if (!Number.isFinite(v.value)) {
        throw new PyError(Number.isNaN(v.value) ? 'ValueError' : 'OverflowError',
          Number.isNaN(v.value) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer');
      }
      return normInt(BigInt(Math.trunc(v.value)));
    }
    throw typeError(`%${conv} format: an integer is required, not float`);
  }
  const kind = conv === 'd' || conv === 'i' || conv === 'u' ? 'a real number' : 'an integer';
  throw typeError(`%${conv} format: ${kind} is required, not ${pyTypeName(v)}`);
}

/** The character `%c` and `{:c}` make of an int, with Python's OverflowError outside Unicode. */
export function codePointChar(n: PyInt): string {
  if (n < 0 || n > 0x10ffff) throw new PyError('OverflowError', '%c arg not in range(0x110000)');
  return String.fromCodePoint(Number(n));
}

/** Digits of |n| in a base, for integers beyond 2^53 too. */
export function intDigits(n: PyInt, base: number): string {
  if (typeof n === 'bigint') return (n < 0n ? -n : n).toString(base);
  const abs = Math.abs(n);
  return abs < Number.MAX_SAFE_INTEGER ? abs.toString(base) : BigInt(abs).toString(base);
}

function formatOne(spec: Spec, v: PyValue): string {
  const { conv, flags, precision } = spec;
  switch (conv) {
    case 's':
    case 'r':
    case 'a': {
      let text = conv === 's' ? pyStr(v) : pyRepr(v, conv === 'a');
      if (precision !== undefined) text = text.slice(0, precision);
      return pad(text, '', spec, false);
    }
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X': {
      const n = integral(v, conv);
      const base = conv === 'o' ? 8 : conv === 'x' || conv === 'X' ? 16 : 10;
      let digits = intDigits(n, base);
      if (conv === 'X') digits = digits.toUpperCase();
      if (precision !== undefined) digits = digits.padStart(precision, '0');
      const prefix = flags.includes('#') && base !== 10 ? `0${conv === 'o' ? 'o' : conv}` : '';
      return pad(prefix + digits, signOf(n < 0, flags), spec, true);
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      if (!isNumeric(v)) throw typeError(`must be real number, not ${pyTypeName(v)}`);
      const x = numValue(v);
      const body = formatFloatAbs(x, { type: conv, precision: precision ?? 6, alternate: flags.includes('#') });
      const negative = x < 0 || Object.is(x, -0);
      return pad(body, signOf(negative, flags), spec, Number.isFinite(x));
    }
    case 'c': {
      if (isStr(v) && strValue(v).length === 1) return pad(strValue(v), '', spec, false);
      if (isIntegral(v)) return pad(codePointChar(typeof v === 'boolean' ? Number(v) : v), '', spec, false);
      throw typeError(`%c requires int or char`);
    }
    default:
      throw valueError(`unsupported format character '${conv}' (0x${conv.charCodeAt(0).toString(16)}) at index ${spec.index}`);
  }
}

const SPEC = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+)?)?[hlL]?(.?)/y;

/**
 * Python's `format % args`, following CPython's argument bookkeeping (unicode_format):
 * a tuple supplies the positional arguments; any other value is the single argument, and a
 * mapping (dict or list) also serves `%(key)s`, after which the next plain conversion takes
 * that key's value.
 */
export function percentFormat(format: string, args: PyValue): string {
  const tuple = args instanceof PyTuple ? args.items : undefined;
  const mapping = !tuple && (args instanceof PyDict || Array.isArray(args)) ? args : undefined;
  let current: PyValue = args;
  let argLength = tuple ? tuple.length : -1;
  let argIndex = tuple ? 0 : -2;
  const nextArg = (): PyValue => {
    if (argIndex >= argLength) throw typeError('not enough arguments for format string');
    const index = argIndex++;
    return argLength < 0 ? current : ((tuple as PyValue[])[index] ?? null);
  };
  let out = '';
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    SPEC.lastIndex = pct;
    const m = SPEC.exec(format);
    if (!m || m[5] === '') throw valueError('incomplete format');
    const [whole, key, flags = '', widthText, precText, conv = ''] = m;
    i = pct + whole.length;
    if (key !== undefined) {
      if (!mapping) throw typeError('format requires a mapping');
      current = lookupKey(mapping, key);
      argLength = -1;
      argIndex = -2;
    }
    if (conv === '%') {
      out += '%';
      continue;
    }
    const width = widthText === '*' ? integralArg(nextArg()) : Number(widthText ?? 0);
    const precision = precText === '*' ? integralArg(nextArg()) : precText === undefined ? (whole.includes('.') ? 0 : undefined) : Number(precText);
    const spec: Spec = { index: i - 1, flags: width < 0 ? `${flags}-` : flags, width: Math.abs(width), precision, conv };
    out += formatOne(spec, nextArg());
  }
  if (argIndex < argLength && !mapping) throw typeError('not all arguments converted during string formatting');
  return out;
}

function lookupKey(mapping: PyDict | PyValue[], key: string): PyValue {
  if (Array.isArray(mapping)) throw typeError('list indices must be integers or slices, not str');
  const found = dictGet(mapping, key);
  if (found === undefined) throw new PyError('KeyError', pyRepr(key));
  return found;
}

function integralArg(v: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return Number(v);
  throw typeError('* wants int');
}
