import { PyDict, PyFloat, PyTuple, PyUndefined, type PyValue } from '../values.js';
import { PyError, typeError } from './errors.js';
import { percentFormat } from './percent.js';
import { pyTpName, pyTypeName } from './str.js';
import { bigValue, isIntegral, isNumeric, isStr, normInt, numValue, protocol, strValue, type PyInt } from './types.js';
import { undefinedError } from './undefined.js';

/** Python arithmetic on template values: int/float promotion, floor semantics, sequences. */

type Numeric = PyInt | boolean | PyFloat;
const isFloat = (v: PyValue): v is PyFloat => v instanceof PyFloat;

/** An int operation: on doubles while that is exact (safe operands), and on bigints otherwise. */
interface IntOp {
  fast(x: number, y: number): number;
  exact(x: bigint, y: bigint): bigint;
}

/**
 * Python's binary arithmetic on numbers: floats when either side is one (an int converting as
 * float() does), else exact int arithmetic, kept as a number whenever the result fits one.
 */
function numeric(a: Numeric, b: Numeric, onFloats: (x: number, y: number) => number, ints: IntOp): PyValue {
  if (isFloat(a) || isFloat(b)) return new PyFloat(onFloats(numValue(a), numValue(b)));
  if (typeof a !== 'bigint' && typeof b !== 'bigint') {
    const x = Number(a);
    const y = Number(b);
    const r = ints.fast(x, y);
    // A safe-integer result of safe-integer operands is exact (the double rounding had nothing to round).
    if (Number.isSafeInteger(r) && Number.isSafeInteger(x) && Number.isSafeInteger(y)) return r || 0;
  }
  return normInt(ints.exact(bigValue(a), bigValue(b)));
}

const ADD: IntOp = { fast: (x, y) => x + y, exact: (x, y) => x + y };
const SUB: IntOp = { fast: (x, y) => x - y, exact: (x, y) => x - y };
const MUL: IntOp = { fast: (x, y) => x * y, exact: (x, y) => x * y };
const FLOOR_DIV: IntOp = {
  fast: (x, y) => Math.floor(x / y),
  exact: (x, y) => {
    const q = x / y;
    return x % y !== 0n && x < 0n !== y < 0n ? q - 1n : q;
  },
};
const MOD: IntOp = {
  fast: (x, y) => {
    const r = x % y;
    return r !== 0 && r < 0 !== y < 0 ? r + y : r;
  },
  exact: (x, y) => {
    const r = x % y;
    return r !== 0n && r < 0n !== y < 0n ? r + y : r;
  },
};

const bitLength = (n: bigint): number => (n === 0n ? 0 : (n < 0n ? -n : n).toString(2).length);

/**
 * `int / int` beyond doubles: the correctly rounded quotient, as long_true_divide
 * (Objects/longobject.c) gives. The integer quotient is scaled to at least 55 bits and a
 * sticky bit records any remainder, so Number()'s one round-half-even is the right rounding.
 */
function bigTrueDivide(x: bigint, y: bigint): number {
  const negative = x < 0n !== y < 0n;
  const n = x < 0n ? -x : x;
  const d = y < 0n ? -y : y;
  if (n === 0n) return negative ? -0 : 0;
  const shift = 55 - (bitLength(n) - bitLength(d));
  const [num, den] = shift >= 0 ? [n << BigInt(shift), d] : [n, d << BigInt(-shift)];
  let result = Number(((num / den) << 1n) | (num % den === 0n ? 0n : 1n));
  // result · 2^-(shift + 1), in steps that stay within the double exponent range.
  for (let e = -(shift + 1); e !== 0; ) {
    const step = Math.max(-1000, Math.min(1000, e));
    result *= 2 ** step;
    e -= step;
  }
  if (!Number.isFinite(result)) throw new PyError('OverflowError', 'integer division result too large for a float');
  return negative ? -result : result;
}

/** Undefined operands raise before Python even looks at the operation (Undefined.__add__ etc.). */
function defined(a: PyValue, b?: PyValue): void {
  if (a instanceof PyUndefined) throw undefinedError(a);
  if (b instanceof PyUndefined) throw undefinedError(b);
}

/** An object's own `+`/`-` (datetime arithmetic), tried as Python tries __add__ then __radd__. */
function objectBinary(op: '+' | '-', a: PyValue, b: PyValue): PyValue | undefined {
  const left = protocol(a)?.pyBinary?.(op, b, false);
  if (left !== undefined) return left;
  return protocol(b)?.pyBinary?.(op, a, true);
}

function unsupported(op: string, a: PyValue, b: PyValue): never {
  throw typeError(`unsupported operand type(s) for ${op}: '${pyTpName(a)}' and '${pyTpName(b)}'`);
}

const zeroDivision = (message: string): PyError => new PyError('ZeroDivisionError', message);

export function pyAdd(a: PyValue, b: PyValue): PyValue {
  defined(a, b);
  if (isNumeric(a) && isNumeric(b)) return numeric(a, b, (x, y) => x + y, ADD);
  if (isStr(a)) {
    if (isStr(b)) return strValue(a) + strValue(b);
    throw typeError(`can only concatenate str (not "${pyTypeName(b)}") to str`);
  }
  if (Array.isArray(a)) {
    if (Array.isArray(b)) return [...a, ...b];
    throw typeError(`can only concatenate list (not "${pyTypeName(b)}") to list`);
  }
  if (a instanceof PyTuple) {
    if (b instanceof PyTuple) return new PyTuple([...a.items, ...b.items]);
    throw typeError(`can only concatenate tuple (not "${pyTypeName(b)}") to tuple`);
  }
  return objectBinary('+', a, b) ?? unsupported('+', a, b);
}

export function pySub(a: PyValue, b: PyValue): PyValue {
  defined(a, b);
  if (isNumeric(a) && isNumeric(b)) return numeric(a, b, (x, y) => x - y, SUB);
  return objectBinary('-', a, b) ?? unsupported('-', a, b);
}

function repeat<T>(items: T[], times: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < times; i++) out.push(...items);
  return out;
}

function repeatSequence(seq: PyValue, count: PyValue): PyValue | undefined {
  const isCount = isIntegral(count);
  const isSeq = isStr(seq) || Array.isArray(seq) || seq instanceof PyTuple;
  if (!isSeq) return undefined;
  if (!isCount) {
    if (isNumeric(count) || isStr(count) || Array.isArray(count) || count instanceof PyTuple || count instanceof PyDict || count === null) {
      throw typeError(`can't multiply sequence by non-int of type '${pyTypeName(count)}'`);
    }
    return undefined;
  }
  // A count past sys.maxsize cannot even be a size (sequence_repeat → PyNumber_AsSsize_t).
  if (typeof count === 'bigint' && (count > 2n ** 63n - 1n || count < -(2n ** 63n))) throw new PyError('OverflowError', "cannot fit 'int' into an index-sized integer");
  const n = Math.max(0, Number(count));
  if (isStr(seq)) return strValue(seq).repeat(n);
  if (Array.isArray(seq)) return repeat(seq, n);
  return new PyTuple(repeat((seq as PyTuple).items, n));
}

export function pyMul(a: PyValue, b: PyValue): PyValue {
  defined(a, b);
  if (isNumeric(a) && isNumeric(b)) return numeric(a, b, (x, y) => x * y, MUL);
  const out = repeatSequence(a, b) ?? repeatSequence(b, a);
  return out ?? unsupported('*', a, b);
}

export function pyTrueDiv(a: PyValue, b: PyValue): PyValue {
  defined(a, b);
  if (!(isNumeric(a) && isNumeric(b))) return unsupported('/', a, b);
  if (isIntegral(a) && isIntegral(b)) {
    if (bigValue(b) === 0n) throw zeroDivision('division by zero');
    // Safe integers are exact doubles, so JavaScript's division already rounds correctly.
    if (typeof a !== 'bigint' && typeof b !== 'bigint') return new PyFloat(Number(a) / Number(b));
    return new PyFloat(bigTrueDivide(bigValue(a), bigValue(b)));
  }
  const y = numValue(b);
  if (y === 0) throw zeroDivision('float division by zero');
  return new PyFloat(numValue(a) / y);
}

/** CPython's float_divmod (Objects/floatobject.c). */
function floatDivmod(x: number, y: number): [number, number] {
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod) {
    if (y < 0 !== mod < 0) {
      mod += y;
      div -= 1;
    }
  } else {
    mod = y < 0 ? -0 : 0;
  }
  let floordiv: number;
  if (div) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = x / y < 0 || Object.is(x / y, -0) ? -0 : 0;
  }
  return [floordiv, mod];
}

export function pyFloorDiv(a: PyValue, b: PyValue): PyValue {
  defined(a, b);
  if (!(isNumeric(a) && isNumeric(b))) return unsupported('//', a, b);
  if (isFloat(a) || isFloat(b)) {
    if (numValue(b) === 0) throw zeroDivision('float floor division by zero');
  } else if (bigValue(b) === 0n) {
    throw zeroDivision('integer division or modulo by zero');
  }
  return numeric(a, b, (x, y) => floatDivmod(x, y)[0], FLOOR_DIV);
}

export function pyMod(a: PyValue, b: PyValue): PyValue {
  defined(a);
  if (isStr(a)) return percentFormat(strValue(a), b);
  defined(b);
  if (!(isNumeric(a) && isNumeric(b))) return unsupported('%', a, b);
  if (isFloat(a) || isFloat(b)) {
    if (numValue(b) === 0) throw zeroDivision('float modulo');
  } else if (bigValue(b) === 0n) {
    throw zeroDivision('integer modulo by zero');
  }
  return numeric(a, b, (x, y) => floatDivmod(x, y)[1], MOD);
}

export function pyPow(a: PyValue, b: PyValue): PyValue {
  defined(a, b);
  if (!(isNumeric(a) && isNumeric(b))) return unsupported('** or pow()', a, b);
  if (isIntegral(a) && isIntegral(b) && bigValue(b) >= 0n) return normInt(bigValue(a) ** bigValue(b));
  // A float operand, or a negative exponent: Python computes in floats (float_pow).
  const x = numValue(a);
  const y = numValue(b);
  if (x === 0 && y < 0) throw zeroDivision('0.0 cannot be raised to a negative power');
  if (x < 0 && !Number.isInteger(y)) throw new PyError('ValueError', 'complex results are not supported');
  const result = x ** y;
  // float_pow reports libm's ERANGE when finite operands overflow (Objects/floatobject.c).
  if (Math.abs(result) === Infinity && Number.isFinite(x) && Number.isFinite(y)) throw new PyError('OverflowError', "(34, 'Numerical result out of range')");
  return new PyFloat(result);
}

function unary(op: '-' | '+', a: PyValue): PyValue {
  defined(a);
  if (!isNumeric(a)) throw typeError(`bad operand type for unary ${op}: '${pyTypeName(a)}'`);
  if (isFloat(a)) return new PyFloat(op === '-' ? -a.value : a.value);
  if (typeof a === 'bigint') return op === '-' ? normInt(-a) : a;
  const x = Number(a);
  return (op === '-' ? -x : x) || 0;
}

export const pyNeg = (a: PyValue): PyValue => unary('-', a);
export const pyPos = (a: PyValue): PyValue => unary('+', a);
