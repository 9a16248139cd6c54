import { PyDict, PyFloat, PyTuple, PyUndefined, PyUnsafe, PyVault, type PyKey, type PyValue } from '../values.js';
import { typeError } from './errors.js';
import { pyTpName, pyTypeName } from './str.js';
import { isNumeric, isStr, protocol, strValue, type PyInt } from './types.js';
import { isLenient, undefinedError } from './undefined.js';

/**
 * A number's exact value for comparing: JavaScript compares a bigint with a double exactly,
 * which is what Python does for int against float (float_richcompare), never converting.
 */
function exactNumber(v: PyInt | boolean | PyFloat): number | bigint {
  if (v instanceof PyFloat) return v.value;
  return typeof v === 'boolean' ? Number(v) : v;
}

function failIfUndefined(v: PyValue): void {
  if (v instanceof PyUndefined) throw undefinedError(v);
}

/** Jinja2's lenient Undefined.__eq__: equal to any other lenient undefined. */
function lenientEquals(a: PyValue, b: PyValue): boolean | undefined {
  const la = a instanceof PyUndefined && isLenient(a);
  const lb = b instanceof PyUndefined && isLenient(b);
  if (la || lb) return la && lb;
  return undefined;
}

/** Python's `==`: 1 == 1.0 == True, containers element-wise, dicts regardless of order. */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  if (a === b) return typeof a !== 'object' || a === null || !(a instanceof PyFloat) || !Number.isNaN(a.value);
  const lenient = lenientEquals(a, b);
  if (lenient !== undefined) return lenient;
  failIfUndefined(a);
  failIfUndefined(b);
  if (typeof a === 'string' && typeof b === 'string') return false;
  // str.__eq__ gives way to AnsibleVaultEncryptedUnicode.__eq__, which compares its plaintext.
  if (b instanceof PyVault && !(a instanceof PyVault)) return pyEquals(b, a);
  if (isNumeric(a)) {
    if (!isNumeric(b)) return false;
    const x = exactNumber(a);
    const y = exactNumber(b);
    return x <= y && x >= y;
  }
  if (isStr(a)) return isStr(b) && strValue(a) === strValue(b);
  if (Array.isArray(a)) return Array.isArray(b) && sequenceEquals(a, b);
  if (a instanceof PyTuple) return b instanceof PyTuple && sequenceEquals(a.items, b.items);
  if (a instanceof PyDict) {
    if (!(b instanceof PyDict) || a.size !== b.size) return false;
    for (const [k, v] of a) {
      const found = dictGet(b, k);
      if (found === undefined || !pyEquals(v, found)) return false;
    }
    return true;
  }
  const order = protocol(a)?.pyOrder?.(b);
  return order === 0;
}

function sequenceEquals(a: PyValue[], b: PyValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!pyEquals(a[i] ?? null, b[i] ?? null)) return false;
  return true;
}

export type ComparisonOp = '<' | '<=' | '>' | '>=';

function unsupported(op: ComparisonOp, a: PyValue, b: PyValue): never {
  throw typeError(`'${op}' not supported between instances of '${pyTpName(a)}' and '${pyTpName(b)}'`);
}

function holds(op: ComparisonOp, x: number | bigint | string, y: number | bigint | string): boolean {
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

/** Compares strings by code point, as Python does (JavaScript compares UTF-16 units). */
function comparableText(s: string): string {
  // Surrogate pairs sort below U+E000–U+FFFF in UTF-16 but above them by code point.
  return /[\uD800-\uDFFF]/.test(s) ? Array.from(s, (c) => String.fromCodePoint(0x10000 + (c.codePointAt(0) ?? 0))).join('') : s;
}

/** Python's ordering operators, raising Python's TypeError for unorderable operands. */
export function pyCompareOp(op: ComparisonOp, a: PyValue, b: PyValue): boolean {
  failIfUndefined(a);
  failIfUndefined(b);
  if (isNumeric(a) && isNumeric(b)) return holds(op, exactNumber(a), exactNumber(b));
  if (isStr(a) && isStr(b)) {
    const x = strValue(a);
    const y = strValue(b);
    return holds(op, comparableText(x), comparableText(y));
  }
  const seqA = Array.isArray(a) ? a : a instanceof PyTuple ? a.items : undefined;
  const seqB = Array.isArray(b) ? b : b instanceof PyTuple ? b.items : undefined;
  if (seqA && seqB && Array.isArray(a) === Array.isArray(b)) {
    const n = Math.min(seqA.length, seqB.length);
    for (let i = 0; i < n; i++) {
      const x = seqA[i] ?? null;
      const y = seqB[i] ?? null;
      if (!pyEquals(x, y)) {
        if (op === '<=' || op === '<') return pyCompareOp('<', x, y);
        return pyCompareOp('>', x, y);
      }
    }
    return holds(op, seqA.length, seqB.length);
  }
  const order = protocol(a)?.pyOrder?.(b);
  if (order !== undefined) return holds(op, order, 0);
  return unsupported(op, a, b);
}

/** A sort comparator with Python's ordering (raises TypeError for mixed types, as sorted() does). */
export function pyCompare(a: PyValue, b: PyValue): number {
  if (pyCompareOp('<', a, b)) return -1;
  if (pyCompareOp('<', b, a)) return 1;
  return 0;
}

// ----- dict keys: Python key equality (1, 1.0 and True are one key) -----

/** Turns a value into a dict key, raising `unhashable type` as Python does. */
export function toKey(v: PyValue): PyKey {
  if (v instanceof PyUnsafe) return v.value;
  if (v === null || typeof v !== 'object' || v instanceof PyFloat) return v;
  if (v instanceof PyTuple) {
    for (const item of v.items) toKey(item);
    return v;
  }
  if (v instanceof PyUndefined) throw undefinedError(v);
  throw typeError(`unhashable type: '${pyTypeName(v)}'`);
}

/** The key already in `d` that equals `key` in Python's sense, if any. */
export function dictFindKey(d: PyDict, key: PyValue): PyKey | undefined {
  const k = toKey(key);
  if (d.has(k)) return k;
  if (typeof k === 'string') return undefined;
  for (const existing of d.keys()) {
    if (typeof existing !== 'string' && pyEquals(existing, k)) return existing;
  }
  return undefined;
}

export function dictGet(d: PyDict, key: PyValue): PyValue | undefined {
  const k = dictFindKey(d, key);
  return k === undefined ? undefined : d.get(k);
}

export function dictHas(d: PyDict, key: PyValue): boolean {
  return dictFindKey(d, key) !== undefined;
}

/** `d[key] = value`: an equal existing key keeps its original form and position. */
export function dictSet(d: PyDict, key: PyValue, value: PyValue): void {
  const existing = dictFindKey(d, key);
  d.set(existing === undefined ? toKey(key) : existing, value);
}

export function dictDelete(d: PyDict, key: PyValue): boolean {
  const k = dictFindKey(d, key);
  return k === undefined ? false : d.delete(k);
}
