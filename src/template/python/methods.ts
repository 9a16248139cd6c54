import { PyDict, PyFloat, PyTuple, PyUnsafe, type PyValue } from '../values.js';
import { dictDelete, dictGet, dictSet, pyCompare, pyEquals } from './compare.js';
import { PyError, typeError, valueError } from './errors.js';
import { pyRepr } from './repr.js';
import { pyTypeName } from './str.js';
import { strFormat } from './strformat.js';
import {
  capitalize,
  codePoints,
  countPy,
  findPy,
  isPyWhitespace,
  pyLen,
  replacePy,
  rsplitPy,
  splitLines,
  splitPy,
  stripPy,
  titleCase,
} from './text.js';
import { expandTabs } from './expandtabs.js';
import { pyIterable } from './iter.js';
import { noteMutation } from './mutation.js';
import { PyCallable, PyDictView, isInt, isStr, strValue, type PyInt } from './types.js';
import { pyTruthy } from './truthy.js';
import { lazyRegExp } from '../unicode_regexp.js';

/**
 * The Python methods templates call on values (`x.startswith('a')`, `d.items()`…). Jinja2
 * resolves `value.name` to these before trying `value['name']`, so they are looked up here.
 */
type Args = PyValue[];
type Kwargs = Map<string, PyValue>;
type Method<T> = (self: T, args: Args, kwargs: Kwargs) => PyValue;

function param(args: Args, kwargs: Kwargs, index: number, name: string): PyValue | undefined {
  return index < args.length ? args[index] : kwargs.get(name);
}

function optStr(v: PyValue | undefined, what: string): string | null {
  if (v === undefined || v === null) return null;
  if (isStr(v)) return strValue(v);
  throw typeError(`${what} arg must be None or str`);
}

function optInt(v: PyValue | undefined, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  // A bigint position lies past either end, where Python clamps it too (_PyEval_SliceIndex).
  if (isInt(v) || typeof v === 'boolean') return Number(v);
  throw typeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
}

function optIndex(v: PyValue | undefined): number | null {
  return v === undefined || v === null ? null : optInt(v, 0);
}

function needStr(v: PyValue | undefined, method: string): string {
  if (v !== undefined && isStr(v)) return strValue(v);
  throw typeError(`${method} arg must be str, not ${v === undefined ? 'nothing' : pyTypeName(v)}`);
}

function affixes(v: PyValue | undefined, method: string): string[] {
  if (v instanceof PyTuple) return v.items.map((x) => needStr(x, method));
  if (v !== undefined && isStr(v)) return [strValue(v)];
  throw typeError(`${method} first arg must be str or a tuple of str, not ${v === undefined ? 'nothing' : pyTypeName(v)}`);
}

function sliceBounds(s: string, args: Args): string {
  const start = optIndex(args[1]);
  const end = optIndex(args[2]);
  if (start === null && end === null) return s;
  const cps = codePoints(s);
  const n = cps.length;
  const norm = (i: number | null, d: number): number => (i === null ? d : i < 0 ? Math.max(0, n + i) : Math.min(n, i));
  return cps.slice(norm(start, 0), norm(end, n)).join('');
}

function pad(s: string, width: PyValue | undefined, fill: PyValue | undefined, where: 'left' | 'right' | 'center'): string {
  const w = optInt(width, 0);
  const f = fill === undefined ? ' ' : needStr(fill, 'fill character');
  if (pyLen(f) !== 1) throw typeError('The fill character must be exactly one character long');
  const n = w - pyLen(s);
  if (n <= 0) return s;
  if (where === 'left') return f.repeat(n) + s;
  if (where === 'right') return s + f.repeat(n);
  // CPython centers with the extra character on the left when the string length is odd.
  const left = Math.floor(n / 2) + (n & w & 1);
  return f.repeat(left) + s + f.repeat(n - left);
}

function predicate(test: (ch: string) => boolean): Method<string> {
  return (s) => s.length > 0 && codePoints(s).every(test);
}

const alpha = lazyRegExp(() => /^\p{L}$/u);
const decimal = lazyRegExp(() => /^\p{Nd}$/u);
const digit = lazyRegExp(() => /^[\p{Nd}\u00B2\u00B3\u00B9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247C\u2488-\u2490\u24EA\u24F5-\u24FD\u24FF\u2776-\u277E\u2780-\u2788\u278A-\u2792]$/u);
const numeric = lazyRegExp(() => /^\p{N}$/u);
const isCased = (ch: string): boolean => ch.toLowerCase() !== ch.toUpperCase();

function caseCheck(s: string, wanted: 'lower' | 'upper'): boolean {
  let cased = false;
  for (const ch of s) {
    if (!isCased(ch)) continue;
    if (wanted === 'lower' ? ch !== ch.toLowerCase() : ch !== ch.toUpperCase()) return false;
    cased = true;
  }
  return cased;
}

function partition(s: string, sep: string, fromRight: boolean): PyTuple {
  if (sep === '') throw valueError('empty separator');
  const at = fromRight ? s.lastIndexOf(sep) : s.indexOf(sep);
  if (at < 0) return new PyTuple(fromRight ? ['', '', s] : [s, '', '']);
  return new PyTuple([s.slice(0, at), sep, s.slice(at + sep.length)]);
}

function joinStrings(sep: string, iterable: PyValue | undefined): string {
  const items = pyIterable(iterable ?? null);
  return items
    .map((item, i) => {
      if (isStr(item)) return strValue(item);
      throw typeError(`sequence item ${i}: expected str instance, ${pyTypeName(item)} found`);
    })
    .join(sep);
}

const STR_METHODS: Record<string, Method<string>> = {
  startswith: (s, a) => affixes(a[0], 'startswith').some((p) => sliceBounds(s, a).startsWith(p)),
  endswith: (s, a) => affixes(a[0], 'endswith').some((p) => sliceBounds(s, a).endsWith(p)),
  split: (s, a, k) => {
    const sep = optStr(param(a, k, 0, 'sep'), 'must be str or None,');
    if (sep === '') throw valueError('empty separator');
    return splitPy(s, sep, optInt(param(a, k, 1, 'maxsplit'), -1));
  },
  rsplit: (s, a, k) => {
    const sep = optStr(param(a, k, 0, 'sep'), 'must be str or None,');
    if (sep === '') throw valueError('empty separator');
    return rsplitPy(s, sep, optInt(param(a, k, 1, 'maxsplit'), -1));
  },
  splitlines: (s, a, k) => splitLines(s, pyTruthy(param(a, k, 0, 'keepends') ?? false)),
  strip: (s, a) => stripPy(s, optStr(a[0], 'strip'), true, true),
  lstrip: (s, a) => stripPy(s, optStr(a[0], 'lstrip'), true, false),
  rstrip: (s, a) => stripPy(s, optStr(a[0], 'rstrip'), false, true),
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  // Full case folding (ß → ss) is what upper-then-lower gives, except final sigma (ς, U+03C2;
  // escaped because esbuild copies regex literals as they are, and the bundle must stay ASCII).
  casefold: (s) => s.toUpperCase().toLowerCase().replace(/\u03C2/g, 'σ'),
  // bytes print as their text once Ansible's to_text decodes them.
  encode: (s) => s,
  swapcase: (s) => Array.from(s, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title: (s) => titleCase(s),
  capitalize: (s) => capitalize(s),
  replace: (s, a) => replacePy(s, needStr(a[0], 'replace()'), needStr(a[1], 'replace()'), optInt(a[2], -1)),
  format: (s, a, k) => strFormat(s, a, k),
  format_map: (s, a) => {
    const mapping = a[0];
    if (!(mapping instanceof PyDict)) throw typeError(`'${pyTypeName(mapping ?? null)}' object is not a mapping`);
    const kwargs = new Map<string, PyValue>();
    for (const [key, v] of mapping) if (typeof key === 'string') kwargs.set(key, v);
    return strFormat(s, [], kwargs);
  },
  join: (s, a) => joinStrings(s, a[0]),
  find: (s, a) => findPy(s, needStr(a[0], 'find()'), optIndex(a[1]), optIndex(a[2]), false),
  rfind: (s, a) => findPy(s, needStr(a[0], 'rfind()'), optIndex(a[1]), optIndex(a[2]), true),
  index: (s, a) => {
    const at = findPy(s, needStr(a[0], 'index()'), optIndex(a[1]), optIndex(a[2]), false);
    if (at < 0) throw valueError('substring not found');
    return at;
  },
  rindex: (s, a) => {
    const at = findPy(s, needStr(a[0], 'rindex()'), optIndex(a[1]), optIndex(a[2]), true);
    if (at < 0) throw valueError('substring not found');
    return at;
  },
  count: (s, a) => countPy(sliceBounds(s, a), needStr(a[0], 'count()')),
  isdigit: predicate((c) => digit().test(c)),
  isdecimal: predicate((c) => decimal().test(c)),
  isnumeric: predicate((c) => numeric().test(c)),
  isalpha: predicate((c) => alpha().test(c)),
  isalnum: predicate((c) => alpha().test(c) || numeric().test(c)),
  isspace: predicate(isPyWhitespace),
  isascii: (s) => /^[\x00-\x7f]*$/.test(s),
  isidentifier: (s) => /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(s),
  isprintable: (s) => !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u.test(s.replace(/ /g, '')),
  islower: (s) => caseCheck(s, 'lower'),
  isupper: (s) => caseCheck(s, 'upper'),
  istitle: (s) => s.length > 0 && titleCase(s) === s && /\p{L}/u.test(s) && codePoints(s).some(isCased),
  zfill: (s, a) => {
    const w = optInt(a[0], 0);
    const sign = s[0] === '-' || s[0] === '+' ? (s[0] as string) : '';
    const body = sign ? s.slice(1) : s;
    return sign + body.padStart(Math.max(0, w - sign.length), '0');
  },
  center: (s, a) => pad(s, a[0], a[1], 'center'),
  ljust: (s, a) => pad(s, a[0], a[1], 'right'),
  rjust: (s, a) => pad(s, a[0], a[1], 'left'),
  partition: (s, a) => partition(s, needStr(a[0], 'partition()'), false),
  rpartition: (s, a) => partition(s, needStr(a[0], 'rpartition()'), true),
  removeprefix: (s, a) => {
    const p = needStr(a[0], 'removeprefix()');
    return p && s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (s, a) => {
    const p = needStr(a[0], 'removesuffix()');
    return p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  },
  expandtabs: (s, a, k) => expandTabs(s, optInt(param(a, k, 0, 'tabsize'), 8)),
};

function listIndex(items: PyValue[], value: PyValue, what: string): number {
  const at = items.findIndex((x) => pyEquals(x, value));
  if (at < 0) throw valueError(what === 'list' ? `${pyRepr(value)} is not in list` : 'tuple.index(x): x not in tuple');
  return at;
}

function sortList(list: PyValue[], kwargs: Kwargs, callKey: ((v: PyValue) => PyValue) | undefined): void {
  const reverse = pyTruthy(kwargs.get('reverse') ?? false);
  const keyed = list.map((v) => ({ v, k: callKey ? callKey(v) : v }));
  // Python's sort is stable; reverse=True keeps equal items in their original order.
  keyed.sort((x, y) => (reverse ? pyCompare(y.k, x.k) : pyCompare(x.k, y.k)));
  keyed.forEach((e, i) => (list[i] = e.v));
}

const LIST_METHODS: Record<string, Method<PyValue[]>> = {
  append: (l, a) => {
    l.push(a[0] ?? null);
    return null;
  },
  extend: (l, a) => {
    l.push(...pyIterable(a[0] ?? null));
    return null;
  },
  insert: (l, a) => {
    let i = optInt(a[0], 0);
    if (i < 0) i = Math.max(0, l.length + i);
    l.splice(Math.min(i, l.length), 0, a[1] ?? null);
    return null;
  },
  pop: (l, a) => {
    if (l.length === 0) throw new PyError('IndexError', 'pop from empty list');
    let i = optInt(a[0], -1);
    if (i < 0) i += l.length;
    if (i < 0 || i >= l.length) throw new PyError('IndexError', 'pop index out of range');
    return l.splice(i, 1)[0] ?? null;
  },
  remove: (l, a) => {
    const at = l.findIndex((x) => pyEquals(x, a[0] ?? null));
    if (at < 0) throw valueError('list.remove(x): x not in list');
    l.splice(at, 1);
    return null;
  },
  index: (l, a) => listIndex(l, a[0] ?? null, 'list'),
  count: (l, a) => l.filter((x) => pyEquals(x, a[0] ?? null)).length,
  reverse: (l) => {
    l.reverse();
    return null;
  },
  sort: (l, _a, k) => {
    const key = k.get('key');
    sortList(l, k, key instanceof PyCallable ? (v) => key.fn([v], new Map()) : undefined);
    return null;
  },
  clear: (l) => {
    l.length = 0;
    return null;
  },
  copy: (l) => [...l],
};

const TUPLE_METHODS: Record<string, Method<PyTuple>> = {
  index: (t, a) => listIndex(t.items, a[0] ?? null, 'tuple'),
  count: (t, a) => t.items.filter((x) => pyEquals(x, a[0] ?? null)).length,
};

function keyError(key: PyValue): PyError {
  return new PyError('KeyError', pyRepr(key));
}

function update(d: PyDict, a: Args, k: Kwargs): void {
  const other = a[0];
  if (other instanceof PyDict) for (const [key, v] of other) dictSet(d, key, v);
  else if (other !== undefined) {
    for (const pair of pyIterable(other)) {
      const items = pyIterable(pair);
      if (items.length !== 2) throw valueError(`dictionary update sequence element has length ${items.length}; 2 is required`);
      dictSet(d, items[0] ?? null, items[1] ?? null);
    }
  }
  for (const [key, v] of k) dictSet(d, key, v);
}

const DICT_METHODS: Record<string, Method<PyDict>> = {
  items: (d) => new PyDictView('dict_items', d),
  keys: (d) => new PyDictView('dict_keys', d),
  values: (d) => new PyDictView('dict_values', d),
  get: (d, a) => {
    const found = dictGet(d, a[0] ?? null);
    return found === undefined ? (a[1] ?? null) : found;
  },
  pop: (d, a) => {
    const key = a[0] ?? null;
    const found = dictGet(d, key);
    if (found === undefined) {
      if (a.length > 1) return a[1] ?? null;
      throw keyError(key);
    }
    dictDelete(d, key);
    return found;
  },
  popitem: (d) => {
    const last = [...d].pop();
    if (!last) throw new PyError('KeyError', "'popitem(): dictionary is empty'");
    d.delete(last[0]);
    return new PyTuple([last[0], last[1]]);
  },
  setdefault: (d, a) => {
    const key = a[0] ?? null;
    const found = dictGet(d, key);
    if (found !== undefined) return found;
    const value = a[1] ?? null;
    dictSet(d, key, value);
    return value;
  },
  update: (d, a, k) => {
    update(d, a, k);
    return null;
  },
  copy: (d) => new PyDict(d),
  clear: (d) => {
    d.clear();
    return null;
  },
};

const FLOAT_METHODS: Record<string, Method<PyFloat>> = {
  is_integer: (f) => Number.isInteger(f.value),
};

const INT_METHODS: Record<string, Method<PyInt>> = {
  bit_length: (n) => (n === 0 ? 0 : (n < 0 ? -n : n).toString(2).length),
};

/**
 * How many positional arguments each method takes, and which of CPython's three wordings its
 * TypeError uses: `noargs`/`one` (METH_NOARGS/METH_O), `clinic` ("expected at most 1
 * argument, got 2") or `kw` ("takes at most 2 arguments (3 given)").
 */
type Arity = [min: number, max: number, style: 'noargs' | 'one' | 'clinic' | 'kw'];
const NOARGS: Arity = [0, 0, 'noargs'];
const ONE: Arity = [1, 1, 'one'];
const ARITY: Record<string, Record<string, Arity>> = {
  str: {
    ...Object.fromEntries(
      ['lower', 'upper', 'casefold', 'swapcase', 'title', 'capitalize', 'isdigit', 'isdecimal', 'isnumeric', 'isalpha', 'isalnum', 'isspace', 'isascii', 'isidentifier', 'isprintable', 'islower', 'isupper', 'istitle'].map((m) => [m, NOARGS]),
    ),
    ...Object.fromEntries(['join', 'zfill', 'removeprefix', 'removesuffix', 'partition', 'rpartition', 'format_map'].map((m) => [m, ONE])),
    replace: [2, 3, 'clinic'],
    strip: [0, 1, 'clinic'],
    lstrip: [0, 1, 'clinic'],
    rstrip: [0, 1, 'clinic'],
    center: [1, 2, 'clinic'],
    ljust: [1, 2, 'clinic'],
    rjust: [1, 2, 'clinic'],
    split: [0, 2, 'kw'],
    rsplit: [0, 2, 'kw'],
    splitlines: [0, 1, 'kw'],
    expandtabs: [0, 1, 'kw'],
    encode: [0, 2, 'kw'],
    ...Object.fromEntries(['startswith', 'endswith', 'find', 'rfind', 'index', 'rindex', 'count'].map((m) => [m, [1, 3, 'kw'] as Arity])),
  },
  list: {
    append: ONE,
    extend: ONE,
    remove: ONE,
    count: ONE,
    reverse: NOARGS,
    clear: NOARGS,
    copy: NOARGS,
    insert: [2, 2, 'clinic'],
    pop: [0, 1, 'clinic'],
    index: [1, 3, 'clinic'],
    sort: [0, 0, 'kw'],
  },
  dict: {
    items: NOARGS,
    keys: NOARGS,
    values: NOARGS,
    copy: NOARGS,
    clear: NOARGS,
    popitem: NOARGS,
    get: [1, 2, 'clinic'],
    pop: [1, 2, 'clinic'],
    setdefault: [1, 2, 'clinic'],
    update: [0, 1, 'clinic'],
  },
  tuple: { index: [1, 3, 'clinic'], count: ONE },
  float: { is_integer: NOARGS },
  int: { bit_length: NOARGS },
};

function checkArity(type: string, name: string, given: number): void {
  const arity = ARITY[type]?.[name];
  if (!arity) return;
  const [min, max, style] = arity;
  if (given >= min && given <= max) return;
  const plural = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;
  switch (style) {
    case 'noargs':
      throw typeError(`${type}.${name}() takes no arguments (${given} given)`);
    case 'one':
      throw typeError(`${type}.${name}() takes exactly one argument (${given} given)`);
    case 'clinic':
      if (min === max) throw typeError(`${name} expected ${plural(min)}, got ${given}`);
      throw typeError(given < min ? `${name} expected at least ${plural(min)}, got ${given}` : `${name} expected at most ${plural(max)}, got ${given}`);
    default:
      if (max === 0) throw typeError(`${name}() takes no positional arguments`);
      throw typeError(given < min ? `${name}() takes at least ${plural(min)} (${given} given)` : `${name}() takes at most ${plural(max)} (${given} given)`);
  }
}

/** The methods that change their list or dict in place. */
const MUTATORS = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'reverse', 'sort', 'clear', 'update', 'setdefault', 'popitem']);

function bind<T>(type: string, table: Record<string, Method<T>>, self: T, name: string): PyCallable | undefined {
  if (!Object.hasOwn(table, name)) return undefined;
  const method = table[name] as Method<T>;
  const mutates = (type === 'list' || type === 'dict') && MUTATORS.has(name);
  return new PyCallable(name, (args, kwargs) => {
    checkArity(type, name, args.length);
    if (mutates) noteMutation();
    return method(self, args, kwargs);
  });
}

const DICT_METHOD_NAMES = new Set(Object.keys(DICT_METHODS));

/** Whether `name` is a Python method of dict (so `d.name` is the method, not `d['name']`). */
export function isDictMethod(name: string): boolean {
  return DICT_METHOD_NAMES.has(name);
}

/** `value.name` when `name` is a Python method of the value's type, else undefined. */
export function getMethod(value: PyValue, name: string): PyCallable | undefined {
  if (typeof value === 'string') return bind('str', STR_METHODS, value, name);
  if (value instanceof PyUnsafe) return bind('str', STR_METHODS, value.value, name);
  if (Array.isArray(value)) return bind('list', LIST_METHODS, value, name);
  if (value instanceof PyDict) return bind('dict', DICT_METHODS, value, name);
  if (value instanceof PyTuple) return bind('tuple', TUPLE_METHODS, value, name);
  if (value instanceof PyFloat) return bind('float', FLOAT_METHODS, value, name);
  if (isInt(value)) return bind('int', INT_METHODS, value, name);
  return undefined;
}

/** Calls `value.name(*args, **kwargs)`, raising Python's AttributeError when there is no such method. */
export function callMethod(value: PyValue, name: string, args: Args = [], kwargs: Kwargs = new Map()): PyValue {
  const method = getMethod(value, name);
  if (!method) throw new PyError('AttributeError', `'${pyTypeName(value)}' object has no attribute '${name}'`);
  return method.fn(args, kwargs);
}
