import { PyDict, PyFloat, PyTuple, PyUnsafe, type PyObject, type PyValue } from '../values.js';
import { PyError } from './errors.js';

/**
 * A view over a dict (`d.keys()`, `d.values()`, `d.items()`): iterates like a list and
 * prints as Python does (`dict_keys(['a'])`).
 */
export class PyDictView implements PyObject {
  constructor(
    readonly pyType: 'dict_keys' | 'dict_values' | 'dict_items',
    readonly dict: PyDict,
  ) {}

  items(): PyValue[] {
    if (this.pyType === 'dict_keys') return [...this.dict.keys()];
    if (this.pyType === 'dict_values') return [...this.dict.values()];
    return [...this.dict].map(([k, v]) => new PyTuple([k, v]));
  }
}

/**
 * A tuple whose items are also attributes (Python's namedtuple), such as the `(grouper, list)`
 * pairs Jinja2's `groupby` returns. It prints as a plain tuple, as Jinja2's _GroupTuple does.
 */
export class PyNamedTuple extends PyTuple {
  constructor(
    items: PyValue[],
    readonly fields: string[],
  ) {
    super(items);
  }

  pyGetAttr(name: string): PyValue | undefined {
    const i = this.fields.indexOf(name);
    return i < 0 ? undefined : (this.items[i] ?? null);
  }
}

export type PyFunction = (args: PyValue[], kwargs: Map<string, PyValue>) => PyValue;

/** Anything callable from a template: Python methods, Jinja2 globals, macros. */
export class PyCallable implements PyObject {
  constructor(
    readonly name: string,
    readonly fn: PyFunction,
    readonly pyType: string = 'builtin_function_or_method',
  ) {}
}

/**
 * Hooks an evaluator object (namespace, loop, cycler, macro…) may implement so the Python
 * helpers print, iterate and size it the way Jinja2 does.
 */
export interface PyProtocol extends PyObject {
  pyRepr?(): string;
  pyStr?(): string;
  pyIter?(): PyValue[];
  pyTruthy?(): boolean;
  /** `obj.name` for Python attributes (Jinja2 tries these before `obj['name']`). */
  pyGetAttr?(name: string): PyValue | undefined;
  /** `obj(*args, **kwargs)`. */
  pyCall?(args: PyValue[], kwargs: Map<string, PyValue>): PyValue;
  /** Jinja2 names objects by module path in undefined messages (`jinja2.utils.Namespace`). */
  readonly pyQualifiedName?: string;
  /** The C type name Python's operator errors show when it differs from __name__ (`datetime.datetime`). */
  readonly pyTpName?: string;
  /** `self + other` / `self - other` (or `other op self` when `reflected`); undefined for NotImplemented. */
  pyBinary?(op: '+' | '-', other: PyValue, reflected: boolean): PyValue | undefined;
  /** Ordering against another value (<0, 0, >0), or undefined when the types do not compare. */
  pyOrder?(other: PyValue): number | undefined;
}

export const isStr = (v: PyValue): v is string | PyUnsafe => typeof v === 'string' || v instanceof PyUnsafe;

/** A Python int (not bool): a safe-integer number or, beyond ±2^53, a bigint (see values.ts). */
export type PyInt = number | bigint;
export const isInt = (v: PyValue): v is PyInt => typeof v === 'number' || typeof v === 'bigint';
/** int or bool: what Python's integer operations accept (bool is an int subclass). */
export const isIntegral = (v: PyValue): v is PyInt | boolean => isInt(v) || typeof v === 'boolean';

/** int, float or bool: the values arithmetic and numeric comparison accept. */
export const isNumeric = (v: PyValue): v is PyInt | boolean | PyFloat => isIntegral(v) || v instanceof PyFloat;

/** The text of a str (plain or `!unsafe`). */
export function strValue(v: string | PyUnsafe): string {
  return typeof v === 'string' ? v : v.value;
}

/** An int as a number when it is a safe integer, else as a bigint: the one form every int takes. */
export function normInt(n: bigint): PyInt {
  const x = Number(n);
  return Number.isSafeInteger(x) ? x : n;
}

const BIGINT_PREFIX: Record<number, string> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

/** The int that `digits` (no sign, prefix or underscores) spell in `base` (2–36), exactly. */
export function intFromDigits(digits: string, base: number): PyInt {
  const approx = parseInt(digits, base);
  if (Number.isSafeInteger(approx)) return approx;
  const prefix = BIGINT_PREFIX[base];
  if (prefix !== undefined) return normInt(BigInt(prefix + digits));
  let n = 0n;
  for (const ch of digits) n = n * BigInt(base) + BigInt(parseInt(ch, base));
  return normInt(n);
}

/** The exact value of an int or bool (True → 1n). */
export function bigValue(v: PyInt | boolean): bigint {
  if (typeof v === 'bigint') return v;
  return BigInt(typeof v === 'boolean' ? Number(v) : v);
}

/**
 * Python's `float(int)`: correctly rounded (Number(bigint) rounds half to even), and
 * OverflowError past the largest double (long_float in Objects/longobject.c).
 */
export function intToFloat(v: PyInt | boolean): number {
  const x = Number(v);
  if (!Number.isFinite(x)) throw new PyError('OverflowError', 'int too large to convert to float');
  return x;
}

/**
 * The number a numeric value stands for (True → 1), as a float would hold it: exact for
 * floats and safe ints, the nearest double for a bigint (OverflowError when it has none).
 */
export function numValue(v: PyInt | boolean | PyFloat): number {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  return intToFloat(v);
}

export function protocol(v: PyValue): PyProtocol | undefined {
  return v !== null && typeof v === 'object' && 'pyType' in v ? (v as PyProtocol) : undefined;
}
