import { PyDict, PyFloat, PyTuple, PyUndefined, PyUnsafe, type PyValue } from '../values.js';
import { PyDictView, isInt, protocol } from './types.js';
import { isLenient, undefinedError } from './undefined.js';

/** Python's `bool()`; an undefined value raises (StrictUndefined.__bool__). */
export function pyTruthy(v: PyValue): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (isInt(v)) return v !== 0 && v !== 0n;
  if (v === null) return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyDict) return v.size > 0;
  if (v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyUnsafe) return v.value.length > 0;
  if (v instanceof PyDictView) return v.dict.size > 0;
  if (v instanceof PyUndefined) {
    if (isLenient(v)) return false;
    throw undefinedError(v);
  }
  const p = protocol(v);
  if (p?.pyTruthy) return p.pyTruthy();
  return true;
}
