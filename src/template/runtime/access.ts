import { PyDict, PyFloat, PyTuple, PyUndefined, PyUnsafe, PyVault, type PyObject, type PyValue } from '../values.js';
import {
  JinjaUndefined,
  PyDictView,
  PyNamedTuple,
  codePoints,
  dictGet,
  dictHas,
  getMethod,
  isDictMethod,
  isLenient,
  isStr,
  protocol,
  pyEquals,
  pyIterable,
  pyRepr,
  pyTypeName,
  strRepr,
  strValue,
  typeError,
  undefinedError,
  valueError,
} from '../python/index.js';
import { PyRange } from './objects.js';

/** Jinja2's attribute and item access (Environment.getattr / Environment.getitem) and `in`. */

/** A `a[start:stop:step]` subscript. */
export class PySlice implements PyObject {
  readonly pyType = 'slice';
  constructor(
    readonly start: PyValue,
    readonly stop: PyValue,
    readonly step: PyValue,
  ) {}

  pyRepr(): string {
    return `slice(${pyRepr(this.start)}, ${pyRepr(this.stop)}, ${pyRepr(this.step)})`;
  }
}

/** jinja2.utils.object_type_repr: how undefined messages name the object they came from. */
export function objectTypeRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (v instanceof PyUnsafe) return 'str object';
  const p = protocol(v);
  if (p?.pyQualifiedName) return `${p.pyQualifiedName} object`;
  return `${pyTypeName(v)} object`;
}

/** Where an access was written, for the undefined value it may produce. */
export interface Where {
  line: number;
  col: number;
  origin?: { file: string; source: string };
}

function missingAttribute(obj: PyValue, name: string, where?: Where): JinjaUndefined {
  return new JinjaUndefined(`${strRepr(objectTypeRepr(obj))} has no attribute ${strRepr(name)}`, false, where?.line, where?.col, where?.origin);
}

function missingElement(obj: PyValue, key: PyValue, where?: Where): JinjaUndefined {
  if (isStr(key)) return missingAttribute(obj, strValue(key), where);
  return new JinjaUndefined(`${objectTypeRepr(obj)} has no element ${pyRepr(key)}`, false, where?.line, where?.col, where?.origin);
}

/** Python attribute lookup only (no item fallback); undefined when there is no such attribute. */
/** What `value.__class__` gives: the type, printed as Python prints classes. */
class PyType implements PyObject {
  readonly pyType = 'type';
  constructor(readonly name: string) {}

  pyRepr(): string {
    return `<class '${this.name}'>`;
  }
}

export function pythonAttribute(obj: PyValue, name: string): PyValue | undefined {
  if (name === '__class__') return new PyType(pyTypeName(obj));
  if (obj instanceof PyNamedTuple) {
    const field = obj.pyGetAttr(name);
    if (field !== undefined) return field;
  }
  const p = protocol(obj);
  if (p?.pyGetAttr) {
    const found = p.pyGetAttr(name);
    if (found !== undefined) return found;
  }
  return getMethod(obj, name);
}

/** `obj.name`: a Python attribute first, then `obj['name']`, else an undefined value. */
export function getAttr(obj: PyValue, name: string, where?: Where): PyValue {
  // AnsibleVaultEncryptedUnicode answers attributes, items and `in` as its plaintext str.
  if (obj instanceof PyVault) return getAttr(obj.plaintext, name, where);
  if (obj instanceof PyDict && !isDictMethod(name)) {
    const found = obj.get(name);
    return found === undefined ? missingAttribute(obj, name, where) : found;
  }
  if (obj instanceof PyUndefined) {
    if (isLenient(obj)) throw undefinedError(obj);
    return obj;
  }
  const attr = pythonAttribute(obj, name);
  if (attr !== undefined) return attr;
  if (obj instanceof PyDict) {
    const found = obj.get(name);
    if (found !== undefined) return found;
  }
  return missingAttribute(obj, name, where);
}

/** `obj[key]`: item lookup first, then (for string keys) a Python attribute, else undefined. */
export function getItem(obj: PyValue, key: PyValue, where?: Where): PyValue {
  if (obj instanceof PyVault) return getItem(obj.plaintext, key, where);
  if (obj instanceof PyUndefined) {
    if (isLenient(obj)) throw undefinedError(obj);
    return obj;
  }
  // Hashing an undefined key raises (StrictUndefined.__hash__), which Jinja2 does not catch.
  if (obj instanceof PyDict && key instanceof PyUndefined) throw undefinedError(key);
  const item = subscript(obj, key);
  if (item !== undefined) return item;
  if (isStr(key)) {
    const attr = pythonAttribute(obj, strValue(key));
    if (attr !== undefined) return attr;
  }
  return missingElement(obj, key, where);
}

function index(key: PyValue): number | undefined {
  if (typeof key === 'number') return key;
  if (typeof key === 'boolean') return Number(key);
  return undefined;
}

function sequenceOf(obj: PyValue): PyValue[] | undefined {
  if (Array.isArray(obj)) return obj;
  if (obj instanceof PyTuple) return obj.items;
  if (obj instanceof PyRange) return obj.pyIter();
  return undefined;
}

/** `obj[key]` in Python, or undefined where Python raises LookupError/TypeError. */
function subscript(obj: PyValue, key: PyValue): PyValue | undefined {
  if (obj instanceof PyDict) {
    if (key instanceof PySlice) return undefined;
    try {
      return dictGet(obj, key);
    } catch {
      return undefined;
    }
  }
  const text = isStr(obj) ? strValue(obj) : undefined;
  const seq = text === undefined ? sequenceOf(obj) : undefined;
  if (text === undefined && seq === undefined) return undefined;
  if (key instanceof PySlice) {
    const bounds = sliceBounds(key, text === undefined ? (seq as PyValue[]).length : codePoints(text).length);
    if (!bounds) return undefined;
    if (text !== undefined) return pick(codePoints(text), bounds).join('');
    const items = pick(seq as PyValue[], bounds);
    return obj instanceof PyTuple ? new PyTuple(items) : items;
  }
  let i = index(key);
  if (i === undefined) return undefined;
  const chars = text === undefined ? (seq as PyValue[]) : codePoints(text);
  if (i < 0) i += chars.length;
  if (i < 0 || i >= chars.length) return undefined;
  return chars[i] ?? null;
}

interface Bounds {
  start: number;
  stop: number;
  step: number;
}

/** Python's slice.indices(length); undefined for a non-integer bound (a TypeError in Python). */
function sliceBounds(s: PySlice, length: number): Bounds | undefined {
  const num = (v: PyValue): number | null | undefined => (v === null ? null : index(v));
  const step = num(s.step) ?? 1;
  const start = num(s.start);
  const stop = num(s.stop);
  if (start === undefined || stop === undefined || num(s.step) === undefined) return undefined;
  if (step === 0) throw valueError('slice step cannot be zero');
  const clamp = (v: number | null, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    const x = v < 0 ? v + length : v;
    return Math.min(Math.max(x, lo), hi);
  };
  return step > 0
    ? { start: clamp(start, 0, 0, length), stop: clamp(stop, length, 0, length), step }
    : { start: clamp(start, length - 1, -1, length - 1), stop: clamp(stop, -1, -1, length - 1), step };
}

function pick<T>(items: T[], b: Bounds): T[] {
  const out: T[] = [];
  if (b.step > 0) for (let i = b.start; i < b.stop; i += b.step) out.push(items[i] as T);
  else for (let i = b.start; i > b.stop; i += b.step) out.push(items[i] as T);
  return out;
}

/** Python's `item in container`. */
export function pyContains(container: PyValue, item: PyValue): boolean {
  if (container instanceof PyVault) return pyContains(container.plaintext, item);
  if (item instanceof PyVault) return pyContains(container, item.plaintext);
  if (container instanceof PyUndefined) {
    if (isLenient(container)) return false;
    throw undefinedError(container);
  }
  if (isStr(container)) {
    if (!isStr(item)) throw typeError(`'in <string>' requires string as left operand, not ${pyTypeName(item)}`);
    return strValue(container).includes(strValue(item));
  }
  if (container instanceof PyDict) return dictHas(container, item);
  if (container instanceof PyDictView && container.pyType === 'dict_keys') return dictHas(container.dict, item);
  const p = protocol(container);
  if (Array.isArray(container) || container instanceof PyTuple || container instanceof PyDictView || p?.pyIter) {
    return pyIterable(container).some((x) => x === item || pyEquals(x, item));
  }
  if (container instanceof PyFloat || typeof container === 'number' || typeof container === 'boolean' || container === null) {
    throw typeError(`argument of type '${pyTypeName(container)}' is not iterable`);
  }
  throw typeError(`argument of type '${pyTypeName(container)}' is not iterable`);
}
