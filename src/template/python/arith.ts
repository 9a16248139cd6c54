import { PyDict, PyFloat, PyTuple, PyUndefined, type PyValue } from '../values.js';
import { PyError, typeError } from './errors.js';
import { percentFormat } from './percent.js';
import { pyTpName, pyTypeName } from './str.js';
import { isNumeric, isStr, numValue, protocol, strValue } from './types.js';
import { undefinedError } from './undefined.js';

/** Python arithmetic on template values: int/float promotion, floor semantics, sequences. */

type Numeric = number | boolean | PyFloat;
const isFloat = (v: PyValue): v is PyFloat => v instanceof PyFloat;

function numeric(a: Numeric, b: Numeric, value: number): PyValue {
  return isFloat(a) || isFloat(b) ? new PyFloat(value) : value === 0 ? 0 : value;
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
  if (isNumeric(a) && isNumeric(b)) return numeric(a, b, numValue(a) + numValue(b));
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
  if (isNumeric(a) && isNumeric(b)) return numeric(a, b, numValue(a) - numValue(b));
  return objectBinary('-', a, b) ?? unsupported('-', a, b);
}

function repeat<T>(items: T[], times: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < times; i++) out.push(...items);
  return out;
}

function repeatSequence(seq: PyValue, count: PyValue): PyValue | undefined {
  const isCount = typeof count === 'number' || typeof count === 'boolean';
  const isSeq = isStr(seq) || Array.isArray(seq) || seq instanceof PyTuple;
  if (!isSeq) return undefined;
  if (!isCount) {
    if (isNumeric(count) || isStr(count) || Array.isArray(count) || count instanceof PyTuple || count instanceof PyDict || count === null) {
      throw typeError(`can't multiply sequence by non-int of type '${pyTypeName(count)}'`);
    }
    return undefined;
  }
  const n = Math.max(0, numValue(count));
  if (isStr(seq)) return strValue(seq).repeat(n);
  if (Array.isArray(seq)) return repeat(seq, n);
  return new PyTuple(repeat((seq as PyTuple).items, n));
}

export function pyMul(a: PyValue, b: PyValue): PyValue {
  defined(a, b);
  if (isNumeric(a) && isNumeric(b)) return numeric(a, b, numValue(a) * numValue(b));
  const out = repeatSequence(a, b) ?? repeatSequence(b, a);
  return out ?? unsupported('*', a, b);
}

export function pyTrueDiv(a: PyValue, b: PyValue): PyValue {
  defined(a, b);
  if (!(isNumeric(a) && isNumeric(b))) return unsupported('/', a, b);
  const y = numValue(b);
  if (y === 0) throw zeroDivision(isFloat(a) || isFloat(b) ? 'float division by zero' : 'division by zero');
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
  const x = numValue(a);
  const y = numValue(b);
  if (isFloat(a) || isFloat(b)) {
    if (y === 0) throw zeroDivision('float floor division by zero');
    return new PyFloat(floatDivmod(x, y)[0]);
  }
  if (y === 0) throw zeroDivision('integer division or modulo by zero');
  return Math.floor(x / y) || 0;
}

export function pyMod(a: PyValue, b: PyValue): PyValue {
  defined(a);
  if (isStr(a)) return percentFormat(strValue(a), b);
  defined(b);
  if (!(isNumeric(a) && isNumeric(b))) return unsupported('%', a, b);
  const x = numValue(a);
  const y = numValue(b);
  if (isFloat(a) || isFloat(b)) {
    if (y === 0) throw zeroDivision('float modulo');
    return new PyFloat(floatDivmod(x, y)[1]);
  }
  if (y === 0) throw zeroDivision('integer modulo by zero');
  const r = x % y;
  return r !== 0 && r < 0 !== y < 0 ? r + y : r || 0;
}

export function pyPow(a: PyValue, b: PyValue): PyValue {
  defined(a, b);
  if (!(isNumeric(a) && isNumeric(b))) return unsupported('** or pow()', a, b);
  const x = numValue(a);
  const y = numValue(b);
  if (x === 0 && y < 0) throw zeroDivision('0.0 cannot be raised to a negative power');
  if (isFloat(a) || isFloat(b) || y < 0) {
    if (x < 0 && !Number.isInteger(y)) throw new PyError('ValueError', 'complex results are not supported');
    return new PyFloat(x ** y);
  }
  if (Math.abs(x ** y) > Number.MAX_SAFE_INTEGER) return Number(BigInt(x) ** BigInt(y));
  return x ** y;
}

function unary(op: '-' | '+', a: PyValue): PyValue {
  defined(a);
  if (!isNumeric(a)) throw typeError(`bad operand type for unary ${op}: '${pyTypeName(a)}'`);
  const x = op === '-' ? -numValue(a) : numValue(a);
  return isFloat(a) ? new PyFloat(x) : x || 0;
}

export const pyNeg = (a: PyValue): PyValue => unary('-', a);
export const pyPos = (a: PyValue): PyValue => unary('+', a);
