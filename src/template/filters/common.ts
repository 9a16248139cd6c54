import { TemplateError } from '../../errors.js';
import { intFromDigits, isInt, isNumeric, isStr, normInt, numValue, PyError, pyNeg, pyStr, pyTypeName, typeError, undefinedError, valueError, type PyInt } from '../python/index.js';
import type { PluginEnv } from '../registry.js';
import { PyFloat, PyUndefined, type PyValue } from '../values.js';

/** Jinja2's `soft_str`: the text of a value (`str()`), strings passed through. */
export const text = pyStr;

/**
 * A Python exception other than the builtin ones PyError covers (AssertionError,
 * AnsibleFilterError, AnsibleFilterTypeError…): its message is what the author sees.
 */
export class PluginError extends TemplateError {
  constructor(
    readonly pyName: string,
    message: string,
  ) {
    super(message);
  }
}

export const filterError = (message: string): PluginError => new PluginError('AnsibleFilterError', message);
export const filterTypeError = (message: string): PluginError => new PluginError('AnsibleFilterTypeError', message);

/** Fails as Ansible's StrictUndefined does when an undefined value is used. */
export function defined(v: PyValue): PyValue {
  if (v instanceof PyUndefined) throw undefinedError(v);
  return v;
}

/** A str, plain or `!unsafe`. */
export const isStrValue = isStr;

/** Jinja2's `_prepare_attribute_parts`: `"a.0.b"` → `['a', 0, 'b']`. */
export function attributeParts(attribute: PyValue | undefined): Array<string | number> {
  if (attribute === undefined || attribute === null) return [];
  if (isStrValue(attribute)) {
    return text(attribute)
      .split('.')
      .map((part) => (/^[0-9]+$/.test(part) ? Number(part) : part));
  }
  if (typeof attribute === 'number') return [attribute];
  return [text(attribute)];
}

/** Jinja2's `ignore_case` postprocessor: strings compare lowercased. */
export const ignoreCase = (v: PyValue): PyValue => (isStrValue(v) ? text(v).toLowerCase() : v);

/** Jinja2's `make_attrgetter`: follows a dotted attribute path through `environment.getitem`. */
export function attrGetter(
  env: PluginEnv,
  attribute: PyValue | undefined,
  postprocess?: (v: PyValue) => PyValue,
  fallback?: PyValue,
): (item: PyValue) => PyValue {
  const parts = attributeParts(attribute);
  return (item) => {
    let current = item;
    for (const part of parts) {
      current = env.getAttribute(current, part);
      if (fallback !== undefined && fallback !== null && current instanceof PyUndefined) current = fallback;
    }
    return postprocess ? postprocess(current) : current;
  };
}

/**
 * Python's int() and float() read any Unicode decimal digit (`'٣'` is 3): each is mapped to
 * its ASCII digit. Decimal digits come in runs of ten starting at the zero; the
 * mathematical digits (U+1D7CE–U+1D7FF) are five such runs back to back.
 */
function asciiDigits(s: string): string {
  return s.replace(/[^\x00-\x7f]/gu, (ch) => {
    if (!/\p{Nd}/u.test(ch)) return ch;
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x1d7ce && code <= 0x1d7ff) return String((code - 0x1d7ce) % 10);
    let zero = code;
    while (code - zero < 9 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
    return String(code - zero);
  });
}

const PY_INT_TEXT = /^[+-]?(?:[0-9](?:_?[0-9])*)$/;

/** `int(text, base)` where a JavaScript number is wanted (counts, sizes). */
export function parseIntText(raw: string, base = 10): number {
  return Number(parsePyIntText(raw, base));
}

/** Python's `int(text, base)` for the bases templates use; ValueError like Python's. */
export function parsePyIntText(raw: string, base = 10): PyInt {
  const s = asciiDigits(raw.trim());
  let body = s;
  let sign = 1;
  if (body.startsWith('-') || body.startsWith('+')) {
    if (body.startsWith('-')) sign = -1;
    body = body.slice(1);
  }
  const prefixes: Record<number, RegExp> = { 16: /^0[xX]_?/, 8: /^0[oO]_?/, 2: /^0[bB]_?/ };
  if (base !== 0 && (base < 2 || base > 36)) throw valueError('int() base must be >= 2 and <= 36, or 0');
  let effectiveBase = base;
  if (base === 0) {
    effectiveBase = /^0[xX]/.test(body) ? 16 : /^0[oO]/.test(body) ? 8 : /^0[bB]/.test(body) ? 2 : 10;
  }
  const prefix = prefixes[effectiveBase];
  if (prefix) body = body.replace(prefix, '');
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, effectiveBase);
  const valid =
    effectiveBase === 10 && base !== 0
      ? PY_INT_TEXT.test(body)
      : body.length > 0 && !body.startsWith('_') && !body.endsWith('_') && !body.includes('__') &&
        [...body.toLowerCase()].every((c) => c === '_' || digits.includes(c));
  const zeroPadded = base === 0 && effectiveBase === 10 && /^0+[1-9]/.test(body);
  if (!valid || zeroPadded) throw valueError(`invalid literal for int() with base ${base}: ${pyReprText(raw)}`);
  const n = intFromDigits(body.replace(/_/g, '').toLowerCase(), effectiveBase);
  return sign < 0 ? (pyNeg(n) as PyInt) : n;
}

const FLOAT_TEXT = /^[+-]?(?:(?:[0-9](?:_?[0-9])*)?\.?(?:[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?)$/;

/** Python's `float(text)`. */
export function parseFloatText(raw: string): number {
  const s = asciiDigits(raw.trim());
  const lower = s.toLowerCase().replace(/^[+-]/, '');
  const negative = s.startsWith('-');
  if (lower === 'inf' || lower === 'infinity') return negative ? -Infinity : Infinity;
  if (lower === 'nan') return NaN;
  if (!FLOAT_TEXT.test(s) || !/[0-9]/.test(s) || /^[+-]?\.?[eE]/.test(s)) {
    throw valueError(`could not convert string to float: ${pyReprText(raw)}`);
  }
  return Number(s.replace(/_/g, ''));
}

function pyReprText(s: string): string {
  return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Python's `int(value)` for any value (floats truncate, bools count). */
export function toPyInt(v: PyValue): PyInt {
  if (isInt(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) {
    if (!Number.isFinite(v.value)) {
      throw Number.isNaN(v.value)
        ? valueError('cannot convert float NaN to integer')
        : new PyError('OverflowError', 'cannot convert float infinity to integer');
    }
    return normInt(BigInt(Math.trunc(v.value)));
  }
  if (isStrValue(v)) return parsePyIntText(text(v));
  throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`);
}

/** Python's `float(value)`. */
export function toPyFloat(v: PyValue): number {
  if (isNumeric(v)) return numValue(v);
  if (isStrValue(v)) return parseFloatText(text(v));
  throw typeError(`float() argument must be a string or a real number, not '${pyTypeName(v)}'`);
}

/** An argument Python would use as an index (`int` or `bool`), else Python's TypeError. */
export function intArg(v: PyValue | undefined, fallback: number, what = 'integer'): number {
  if (v === undefined) return fallback;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw typeError(`'${pyTypeName(v)}' object cannot be interpreted as an ${what}`);
}

