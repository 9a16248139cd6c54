import { dictGet, dictHas, dictSet, pyEquals, PyError, pyIterable, pyRepr, pyTruthy, pyTypeName, toKey, undefinedError } from '../python/index.js';
import type { Filter, PluginEnv } from '../registry.js';
import { PyDict, PyTuple, PyUndefined, type PyValue } from '../values.js';
import { filterError, filterTypeError, intArg, isStrValue, PluginError, text } from './common.js';
import { uniqueItems } from './jinja_lists.js';
import { jsonDumps } from './json.js';
import { bind } from './signature.js';

/**
 * Ansible's filters over lists and dicts (lib/ansible/plugins/filter/core.py and
 * mathstuff.py): flatten, combine, dict2items/items2dict, subelements, extract, the set
 * operations and itertools' combinatorics.
 */

/** ansible.module_utils.common.collections.is_sequence: a list or tuple, never a str or dict. */
export const isSequence = (v: PyValue): v is PyValue[] | PyTuple => Array.isArray(v) || v instanceof PyTuple;
const items = (v: PyValue[] | PyTuple): PyValue[] => (Array.isArray(v) ? v : v.items);

export function flattenList(list: PyValue[], levels: number | null, skipNulls: boolean): PyValue[] {
  const out: PyValue[] = [];
  for (const element of list) {
    if (skipNulls && (element === null || element === 'None' || element === 'null')) continue;
    if (isSequence(element) && (levels === null || levels >= 1)) {
      out.push(...flattenList(items(element), levels === null ? null : levels - 1, skipNulls));
    } else out.push(element);
  }
  return out;
}

const flatten: Filter = (_env, value, call) => {
  const b = bind({ name: 'flatten', params: ['mylist', 'levels=', 'skip_nulls='] }, value, call);
  const levels = b.values.get('levels');
  return flattenList(pyIterable(value), levels === undefined || levels === null ? null : intArg(levels, 0), pyTruthy(b.values.get('skip_nulls') ?? true));
};

/** Ansible's `recursive_check_defined`: combine refuses undefined values anywhere inside. */
function checkDefined(v: PyValue): void {
  if (v instanceof PyDict) for (const x of v.values()) checkDefined(x);
  else if (Array.isArray(v)) v.forEach(checkDefined);
  // Formatting the message `"{0} is undefined".format(item)` raises the undefined error itself.
  else if (v instanceof PyUndefined) throw undefinedError(v);
}

const LIST_MERGE = ['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'];

/** ansible.utils.vars.merge_hash: y's keys win over x's. */
export function mergeHash(x: PyValue, y: PyValue, recursive: boolean, listMerge: string): PyDict {
  if (!LIST_MERGE.includes(listMerge)) {
    throw new PluginError(
      'AnsibleError',
      "merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'",
    );
  }
  if (!(x instanceof PyDict) || !(y instanceof PyDict)) {
    const show = (v: PyValue): string => {
      try {
        return jsonDumps(v);
      } catch {
        return text(v);
      }
    };
    throw new PluginError(
      'AnsibleError',
      `failed to combine variables, expected dicts but got a '${pyTypeName(x)}' and a '${pyTypeName(y)}': \n${show(x)}\n${show(y)}`,
    );
  }
  if (x.size === 0 || pyEquals(x, y)) return new PyDict(y);
  const result = new PyDict(x);
  if (!recursive && listMerge === 'replace') {
    for (const [k, v] of y) dictSet(result, k, v);
    return result;
  }
  for (const [key, yValue] of y) {
    const xValue = dictGet(result, key);
    if (xValue === undefined) {
      dictSet(result, key, yValue);
      continue;
    }
    if (xValue instanceof PyDict && yValue instanceof PyDict) {
      dictSet(result, key, recursive ? mergeHash(xValue, yValue, recursive, listMerge) : yValue);
      continue;
    }
    if (Array.isArray(xValue) && Array.isArray(yValue)) {
      const notInY = (z: PyValue): boolean => !yValue.some((w) => pyEquals(w, z));
      const merged: Record<string, PyValue[]> = {
        replace: yValue,
        keep: xValue,
        append: [...xValue, ...yValue],
        prepend: [...yValue, ...xValue],
        append_rp: [...xValue.filter(notInY), ...yValue],
        prepend_rp: [...yValue, ...xValue.filter(notInY)],
      };
      dictSet(result, key, merged[listMerge] ?? yValue);
      continue;
    }
    dictSet(result, key, yValue);
  }
  return result;
}

const combine: Filter = (_env, value, call) => {
  const kwargs = new Map(call.kwargs);
  const recursive = pyTruthy(kwargs.get('recursive') ?? false);
  const listMerge = text(kwargs.get('list_merge') ?? 'replace');
  kwargs.delete('recursive');
  kwargs.delete('list_merge');
  if (kwargs.size > 0) throw filterError("'recursive' and 'list_merge' are the only valid keyword arguments");
  const dictionaries = flattenList([value, ...call.args], 1, true);
  dictionaries.forEach(checkDefined);
  if (dictionaries.length === 0) return new PyDict();
  if (dictionaries.length === 1) return dictionaries[0] as PyValue;
  const fromHighest = [...dictionaries].reverse();
  let result = fromHighest[0] as PyValue;
  for (const dictionary of fromHighest.slice(1)) result = mergeHash(dictionary, result, recursive, listMerge);
  return result;
};

const dict2items: Filter = (_env, value, call) => {
  const b = bind({ name: 'dict_to_list_of_dict_key_value_elements', params: ['mydict', 'key_name=', 'value_name='] }, value, call);
  if (!(value instanceof PyDict)) throw filterTypeError(`dict2items requires a dictionary, got <class '${pyTypeName(value)}'> instead.`);
  const keyName = toKey(b.values.get('key_name') ?? 'key');
  const valueName = toKey(b.values.get('value_name') ?? 'value');
  return [...value].map(([k, v]) => {
    const entry = new PyDict();
    dictSet(entry, keyName, k);
    dictSet(entry, valueName, v);
    return entry;
  });
};

const items2dict: Filter = (_env, value, call) => {
  const b = bind({ name: 'list_of_dict_key_value_elements_to_dict', params: ['mylist', 'key_name=', 'value_name='] }, value, call);
  if (!isSequence(value)) throw filterTypeError(`items2dict requires a list, got <class '${pyTypeName(value)}'> instead.`);
  const keyName = b.values.get('key_name') ?? 'key';
  const valueName = b.values.get('value_name') ?? 'value';
  const result = new PyDict();
  for (const item of items(value)) {
    if (!(item instanceof PyDict)) throw filterTypeError(`items2dict requires a list of dictionaries, got ${pyRepr(value)} instead.`);
    const k = dictGet(item, keyName);
    const v = dictGet(item, valueName);
    if (k === undefined || v === undefined) {
      throw filterTypeError(
        `items2dict requires each dictionary in the list to contain the keys '${text(keyName)}' and '${text(valueName)}', got ${pyRepr(value)} instead.`,
      );
    }
    dictSet(result, k, v);
  }
  return result;
};

const subelements: Filter = (_env, value, call) => {
  const b = bind({ name: 'subelements', params: ['obj', 'subelements', 'skip_missing='] }, value, call);
  let elements: PyValue[];
  if (value instanceof PyDict) elements = [...value.values()];
  else if (Array.isArray(value)) elements = [...value];
  else throw filterError('obj must be a list of dicts or a nested dict');
  const path = b.values.get('subelements') ?? null;
  let keys: PyValue[];
  if (Array.isArray(path)) keys = [...path];
  else if (isStrValue(path)) keys = text(path).split('.');
  else throw filterTypeError('subelements must be a list or a string');
  const skipMissing = pyTruthy(b.values.get('skip_missing') ?? false);
  const results: PyValue[] = [];
  for (const element of elements) {
    let values: PyValue = element;
    for (const key of keys) {
      const found = lookupItem(values, key);
      if (found === 'typeerror') throw filterTypeError(`the key ${text(key)} should point to a dictionary, got '${text(values)}'`);
      if (found === undefined) {
        if (skipMissing) {
          values = [];
          break;
        }
        throw filterError(`could not find ${pyRepr(key)} key in iterated item ${pyRepr(values)}`);
      }
      values = found;
    }
    if (!Array.isArray(values)) throw filterTypeError(`the key ${pyRepr(path)} should point to a list, got ${pyRepr(values)}`);
    for (const v of values) results.push(new PyTuple([element, v]));
  }
  return results;
};

/** `values[key]` for subelements: a dict lookup, or 'typeerror' where Python raises TypeError. */
function lookupItem(container: PyValue, key: PyValue): PyValue | undefined | 'typeerror' {
  if (container instanceof PyDict) return dictHas(container, key) ? dictGet(container, key) : undefined;
  return 'typeerror';
}

const extract: Filter = (env: PluginEnv, value, call) => {
  const b = bind({ name: 'extract', params: ['item', 'container', 'morekeys='], hidden: 1 }, value, call);
  const more = b.values.get('morekeys');
  const keys = more === undefined || more === null ? [value] : Array.isArray(more) ? [value, ...more] : [value, more];
  let current = b.values.get('container') ?? null;
  for (const key of keys) current = env.getAttribute(current, typeof key === 'number' ? key : text(key));
  return current;
};

/** Python's `x in set(…)` membership by hash equality, for the set operations on hashables. */
const isHashable = (v: PyValue): boolean => !(Array.isArray(v) || v instanceof PyDict);

function contains(list: PyValue[], item: PyValue): boolean {
  return list.some((x) => pyEquals(x, item));
}

function setOperation(name: string, op: (env: PluginEnv, a: PyValue[], b: PyValue[]) => PyValue[]): Filter {
  return (env, value, call) => {
    const b = bind({ name, params: ['a', 'b'], hidden: 1 }, value, call);
    const other = b.values.get('b') ?? null;
    // Hashable inputs (str, tuple) go through Python sets, whose order fleet cannot reproduce;
    // their members are returned in first-seen order.
    if (isHashable(value) && isHashable(other)) return op(env, uniqueItems(env, pyIterable(value), true), uniqueItems(env, pyIterable(other), true));
    return op(env, pyIterable(value), pyIterable(other));
  };
}

const union = setOperation('union', (env, a, b) => uniqueItems(env, [...a, ...b], true));
const intersect = setOperation('intersect', (env, a, b) => uniqueItems(env, a.filter((x) => contains(b, x)), true));
const difference = setOperation('difference', (env, a, b) => uniqueItems(env, a.filter((x) => !contains(b, x)), true));
const symmetricDifference = setOperation('symmetric_difference', (env, a, b) => {
  const both = uniqueItems(env, a.filter((x) => contains(b, x)), true);
  return uniqueItems(env, [...a, ...b], true).filter((x) => !contains(both, x));
});

/** Python's `zip(*iterables)` / `itertools.zip_longest(*iterables, fillvalue=None)`. */
function zipLists(lists: PyValue[][], longest: boolean, fill: PyValue): PyTuple[] {
  if (lists.length === 0) return [];
  const size = longest ? Math.max(...lists.map((l) => l.length)) : Math.min(...lists.map((l) => l.length));
  return Array.from({ length: size }, (_, i) => new PyTuple(lists.map((l) => (i < l.length ? (l[i] as PyValue) : fill))));
}

const zip: Filter = (_env, value, call) => {
  const bad = [...call.kwargs.keys()][0];
  if (bad !== undefined) throw new PyError('TypeError', `'${bad}' is an invalid keyword argument for zip()`);
  return zipLists([value, ...call.args].map(pyIterable), false, null);
};

const zipLongest: Filter = (_env, value, call) => {
  const extra = [...call.kwargs.keys()].find((k) => k !== 'fillvalue');
  if (extra) throw new PyError('TypeError', `zip_longest() got an unexpected keyword argument '${extra}'`);
  return zipLists([value, ...call.args].map(pyIterable), true, call.kwargs.get('fillvalue') ?? null);
};

const product: Filter = (_env, value, call) => {
  const repeat = intArg(call.kwargs.get('repeat'), 1);
  const pools = [value, ...call.args].map(pyIterable);
  const allPools = Array.from({ length: repeat }, () => pools).flat();
  let result: PyValue[][] = [[]];
  for (const pool of allPools) result = result.flatMap((prefix) => pool.map((x) => [...prefix, x]));
  return result.map((r) => new PyTuple(r));
};

function permutationsOf(pool: PyValue[], r: number): PyValue[][] {
  if (r === 0) return [[]];
  return pool.flatMap((x, i) => permutationsOf([...pool.slice(0, i), ...pool.slice(i + 1)], r - 1).map((rest) => [x, ...rest]));
}

function combinationsOf(pool: PyValue[], r: number): PyValue[][] {
  if (r === 0) return [[]];
  return pool.flatMap((x, i) => combinationsOf(pool.slice(i + 1), r - 1).map((rest) => [x, ...rest]));
}

const permutations: Filter = (_env, value, call) => {
  const b = bind({ name: 'permutations', params: ['iterable', 'r='], builtin: true }, value, call);
  const pool = pyIterable(value);
  const r = b.values.get('r');
  const size = r === undefined || r === null ? pool.length : intArg(r, 0);
  if (size < 0) throw new PyError('ValueError', 'r must be non-negative');
  return size > pool.length ? [] : permutationsOf(pool, size).map((p) => new PyTuple(p));
};

const combinations: Filter = (_env, value, call) => {
  const b = bind({ name: 'combinations', params: ['iterable', 'r='], builtin: true }, value, call);
  if (!b.values.has('r')) throw new PyError('TypeError', "combinations() missing required argument 'r' (pos 2)");
  const pool = pyIterable(value);
  const size = intArg(b.values.get('r'), 0);
  if (size < 0) throw new PyError('ValueError', 'r must be non-negative');
  return size > pool.length ? [] : combinationsOf(pool, size).map((p) => new PyTuple(p));
};

const rekeyOnMember: Filter = (_env, value, call) => {
  const b = bind({ name: 'rekey_on_member', params: ['data', 'key', 'duplicates='] }, value, call);
  const duplicates = text(b.values.get('duplicates') ?? 'error');
  if (duplicates !== 'error' && duplicates !== 'overwrite') {
    throw filterError(`duplicates parameter to rekey_on_member has unknown value: ${duplicates}`);
  }
  const key = b.values.get('key') ?? null;
  let members: PyValue[];
  if (value instanceof PyDict) members = [...value.values()];
  else if (Array.isArray(value) || value instanceof PyTuple) members = pyIterable(value);
  else throw filterTypeError('Type is not a valid list, set, or dict');
  const result = new PyDict();
  for (const item of members) {
    if (!(item instanceof PyDict)) throw filterTypeError('List item is not a valid dict');
    const keyValue = dictGet(item, key);
    if (keyValue === undefined) throw filterError(`Key ${text(key)} was not found`);
    const existing = dictGet(result, keyValue);
    if (existing !== undefined && pyTruthy(existing)) {
      if (duplicates === 'error') throw filterError(`Key ${text(keyValue)} is not unique, cannot correctly turn into dict`);
    }
    if (existing === undefined || !pyTruthy(existing) || duplicates === 'overwrite') dictSet(result, keyValue, item);
  }
  return result;
};

export const ansibleCollectionFilters: Record<string, Filter> = {
  flatten,
  combine,
  dict2items,
  items2dict,
  subelements,
  extract,
  union,
  intersect,
  difference,
  symmetric_difference: symmetricDifference,
  zip,
  zip_longest: zipLongest,
  product,
  permutations,
  combinations,
  rekey_on_member: rekeyOnMember,
};
