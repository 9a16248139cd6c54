import { PyDict, PyTuple, PyUndefined, PyUnsafe, type PyValue } from '../values.js';
import { typeError } from './errors.js';
import { pyTypeName } from './str.js';
import { PyDictView, protocol } from './types.js';
import { isLenient, undefinedError } from './undefined.js';

/**
 * Python's `iter()`/`list()`: str → characters, list/tuple → items, dict → keys, dict views
 * → their items. Raises Python's TypeError for anything else (`'int' object is not iterable`).
 */
export function pyIterable(v: PyValue): PyValue[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(v);
  if (v instanceof PyTuple) return v.items;
  if (v instanceof PyDict) return [...v.keys()];
  if (v instanceof PyUnsafe) return Array.from(v.value);
  if (v instanceof PyDictView) return v.items();
  if (v instanceof PyUndefined) {
    if (isLenient(v)) return [];
    throw undefinedError(v);
  }
  const p = protocol(v);
  if (p?.pyIter) return p.pyIter();
  throw typeError(`'${pyTypeName(v)}' object is not iterable`);
}

/** Python's `len()`. */
export function pyLength(v: PyValue): number {
  if (typeof v === 'string') return Array.from(v).length;
  if (v instanceof PyDict) return v.size;
  if (v instanceof PyDictView) return v.dict.size;
  if (Array.isArray(v) || v instanceof PyTuple || v instanceof PyUnsafe || v instanceof PyUndefined) return pyIterable(v).length;
  const p = protocol(v);
  if (p?.pyIter) return p.pyIter().length;
  throw typeError(`object of type '${pyTypeName(v)}' has no len()`);
}
