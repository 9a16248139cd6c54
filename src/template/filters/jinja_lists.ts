import { PyNamedTuple, dictHas, dictSet, pyAdd, pyCompareOp, pyEquals, pyIterable, pyLength, pyTruthy, toKey } from '../python/index.js';
import type { CallArgs, Filter, PluginEnv } from '../registry.js';
import { PyDict, PyUndefined, type PyValue } from '../values.js';
import { attrGetter, filterError, ignoreCase, intArg, PluginError, text } from './common.js';
import { bind, type Signature } from './signature.js';
import { pySorted } from './sorting.js';

/** Jinja2 3.1.2's filters over sequences (jinja2/filters.py), Ansible's `unique` included. */

const sig = (name: string, params: string[], hidden = 0): Signature => ({ name, params, hidden });
const argumentError = (message: string): PluginError => new PluginError('FilterArgumentError', message);

const FIRST = sig('sync_do_first', ['seq'], 1);
const LAST = sig('do_last', ['seq'], 1);
const LENGTH: Signature = { name: 'len', params: ['obj'], builtin: true };
const LIST = sig('sync_do_list', ['value']);
const JOIN = sig('sync_do_join', ['value', 'd=', 'attribute='], 1);
const SORT = sig('do_sort', ['value', 'reverse=', 'case_sensitive=', 'attribute='], 1);
const MIN = sig('do_min', ['value', 'case_sensitive=', 'attribute='], 1);
const MAX = sig('do_max', ['value', 'case_sensitive=', 'attribute='], 1);
const SUM = sig('sync_do_sum', ['iterable', 'attribute=', 'start='], 1);
const REVERSE = sig('do_reverse', ['value']);
const BATCH = sig('do_batch', ['value', 'linecount', 'fill_with=']);
const SLICE = sig('sync_do_slice', ['value', 'slices', 'fill_with=']);
const GROUPBY = sig('sync_do_groupby', ['value', 'attribute', 'default=', 'case_sensitive='], 1);
const UNIQUE = sig('unique', ['a', 'case_sensitive=', 'attribute='], 1);

const first: Filter = (_env, value, call) => {
  bind(FIRST, value, call);
  const items = pyIterable(value);
  return items.length > 0 ? (items[0] as PyValue) : new PyUndefined('No first item, sequence was empty.');
};

const last: Filter = (_env, value, call) => {
  bind(LAST, value, call);
  const items = pyIterable(value);
  return items.length > 0 ? (items[items.length - 1] as PyValue) : new PyUndefined('No last item, sequence was empty.');
};

const length: Filter = (_env, value, call) => {
  bind(LENGTH, value, call);
  return pyLength(value);
};

const join: Filter = (env, value, call) => {
  const b = bind(JOIN, value, call);
  const attribute = b.values.get('attribute');
  let items = pyIterable(value);
  if (attribute !== undefined && attribute !== null) items = items.map(attrGetter(env, attribute));
  return items.map(text).join(text(b.values.get('d') ?? ''));
};

/** `make_multi_attrgetter`: one sort key per comma-separated attribute path. */
function multiAttrGetter(env: PluginEnv, attribute: PyValue | undefined, caseSensitive: boolean): (item: PyValue) => PyValue {
  const paths = typeof attribute === 'string' ? attribute.split(',') : [attribute];
  const getters = paths.map((path) => attrGetter(env, path, caseSensitive ? undefined : ignoreCase));
  return (item) => getters.map((get) => get(item));
}

const sort: Filter = (env, value, call) => {
  const b = bind(SORT, value, call);
  const key = multiAttrGetter(env, b.values.get('attribute'), pyTruthy(b.values.get('case_sensitive') ?? false));
  return pySorted(pyIterable(value), key, pyTruthy(b.values.get('reverse') ?? false));
};

function minOrMax(s: Signature, wantMax: boolean): Filter {
  return (env, value, call) => {
    const b = bind(s, value, call);
    const items = pyIterable(value);
    if (items.length === 0) return new PyUndefined('No aggregated item, sequence was empty.');
    const key = attrGetter(env, b.values.get('attribute'), pyTruthy(b.values.get('case_sensitive') ?? false) ? undefined : ignoreCase);
    let best = items[0] as PyValue;
    let bestKey = key(best);
    for (const item of items.slice(1)) {
      const k = key(item);
      // Python's min/max keep the first of equal items: only a strict improvement replaces.
      if (wantMax ? pyCompareOp('>', k, bestKey) : pyCompareOp('<', k, bestKey)) {
        best = item;
        bestKey = k;
      }
    }
    return best;
  };
}

const sum: Filter = (env, value, call) => {
  const b = bind(SUM, value, call);
  const attribute = b.values.get('attribute');
  let items = pyIterable(value);
  if (attribute !== undefined && attribute !== null) items = items.map(attrGetter(env, attribute));
  return items.reduce<PyValue>((total, item) => pyAdd(total, item), b.values.get('start') ?? 0);
};

const reverse: Filter = (_env, value, call) => {
  bind(REVERSE, value, call);
  if (typeof value === 'string') return Array.from(value).reverse().join('');
  try {
    return [...pyIterable(value)].reverse();
  } catch {
    throw argumentError('argument must be iterable');
  }
};

const batch: Filter = (_env, value, call) => {
  const b = bind(BATCH, value, call);
  const size = intArg(b.values.get('linecount'), 1);
  const fill = b.values.get('fill_with');
  const out: PyValue[][] = [];
  let current: PyValue[] = [];
  for (const item of pyIterable(value)) {
    if (current.length === size) {
      out.push(current);
      current = [];
    }
    current.push(item);
  }
  if (current.length > 0) {
    if (fill !== undefined && fill !== null) while (current.length < size) current.push(fill);
    out.push(current);
  }
  return out;
};

const slice: Filter = (_env, value, call) => {
  const b = bind(SLICE, value, call);
  const seq = pyIterable(value);
  const slices = intArg(b.values.get('slices'), 1);
  const fill = b.values.get('fill_with');
  const perSlice = Math.floor(seq.length / slices);
  const withExtra = seq.length % slices;
  const out: PyValue[][] = [];
  let offset = 0;
  for (let n = 0; n < slices; n++) {
    const start = offset + n * perSlice;
    if (n < withExtra) offset++;
    const end = offset + (n + 1) * perSlice;
    const part = seq.slice(start, end);
    if (fill !== undefined && fill !== null && n >= withExtra) part.push(fill);
    out.push(part);
  }
  return out;
};

const groupby: Filter = (env, value, call) => {
  const b = bind(GROUPBY, value, call);
  const attribute = b.values.get('attribute') ?? null;
  const fallback = b.values.get('default');
  const caseSensitive = pyTruthy(b.values.get('case_sensitive') ?? false);
  const key = attrGetter(env, attribute, caseSensitive ? undefined : ignoreCase, fallback);
  const groups: Array<{ key: PyValue; items: PyValue[] }> = [];
  for (const item of pySorted(pyIterable(value), key)) {
    const k = key(item);
    const current = groups[groups.length - 1];
    if (current && pyEquals(current.key, k)) current.items.push(item);
    else groups.push({ key: k, items: [item] });
  }
  const output = caseSensitive ? undefined : attrGetter(env, attribute, undefined, fallback);
  return groups.map((g) => new PyNamedTuple([output ? output(g.items[0] as PyValue) : g.key, g.items], ['grouper', 'list']));
};

/** Jinja2's `do_unique`, through which Ansible's `unique` goes first. */
function jinjaUnique(env: PluginEnv, items: PyValue[], caseSensitive: boolean, attribute: PyValue | undefined): PyValue[] {
  const key = attrGetter(env, attribute, caseSensitive ? undefined : ignoreCase);
  const seen = new PyDict();
  const out: PyValue[] = [];
  for (const item of items) {
    const k = key(item);
    toKey(k);
    if (!dictHas(seen, k)) {
      dictSet(seen, k, null);
      out.push(item);
    }
  }
  return out;
}

/** Ansible's `unique` (plugins/filter/mathstuff.py): Jinja2's, or equality when keys are unhashable. */
export function uniqueItems(env: PluginEnv, items: PyValue[], caseSensitive: PyValue | undefined, attribute?: PyValue): PyValue[] {
  try {
    return jinjaUnique(env, items, pyTruthy(caseSensitive ?? null), attribute);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    if (caseSensitive === false || (attribute !== undefined && attribute !== null && pyTruthy(attribute))) {
      // AnsibleFilterError(orig_exc=e) appends the original message.
      throw filterError(
        `Jinja2's unique filter failed and we cannot fall back to Ansible's version as it does not support the parameters supplied. ${error.message}`,
      );
    }
    const out: PyValue[] = [];
    for (const item of items) if (!out.some((x) => pyEquals(x, item))) out.push(item);
    return out;
  }
}

const unique: Filter = (env, value, call) => {
  const b = bind(UNIQUE, value, call);
  return uniqueItems(env, pyIterable(value), b.values.get('case_sensitive'), b.values.get('attribute'));
};

/** Jinja2's `prepare_map`: a filter name with its arguments, or `attribute=`/`default=`. */
function mapper(env: PluginEnv, call: CallArgs): (item: PyValue) => PyValue {
  if (call.args.length === 0 && call.kwargs.has('attribute')) {
    const kwargs = new Map(call.kwargs);
    const attribute = kwargs.get('attribute') ?? null;
    kwargs.delete('attribute');
    const fallback = kwargs.get('default');
    kwargs.delete('default');
    const extra = [...kwargs.keys()][0];
    if (extra !== undefined) throw argumentError(`Unexpected keyword argument '${extra}'`);
    return attrGetter(env, attribute, undefined, fallback);
  }
  const [name, ...args] = call.args;
  if (name === undefined) throw argumentError('map requires a filter argument');
  return (item) => env.callFilter(text(name), item, { args, kwargs: call.kwargs });
}

const map: Filter = (env, value, call) => {
  const fn = mapper(env, call);
  return value === null || value === undefined ? [] : pyIterable(value).map(fn);
};

/** Jinja2's `select_or_reject`: a test name and its arguments, or plain truth. */
function selector(wantTrue: boolean, lookupAttr: boolean): Filter {
  return (env, value, call) => {
    if (!pyTruthy(value)) return [];
    let transform = (x: PyValue): PyValue => x;
    let offset = 0;
    if (lookupAttr) {
      const attribute = call.args[0];
      if (attribute === undefined) throw argumentError('Missing parameter for attribute name');
      transform = attrGetter(env, attribute);
      offset = 1;
    }
    const name = call.args[offset];
    const args = call.args.slice(offset + 1);
    const test = name === undefined ? pyTruthy : (x: PyValue): boolean => pyTruthy(env.callTest(text(name), x, { args, kwargs: call.kwargs }));
    return pyIterable(value).filter((item) => test(transform(item)) === wantTrue);
  };
}

export const jinjaListFilters: Record<string, Filter> = {
  first,
  last,
  length,
  count: length,
  list: (_env, value, call) => {
    bind(LIST, value, call);
    return [...pyIterable(value)];
  },
  join,
  sort,
  min: minOrMax(MIN, false),
  max: minOrMax(MAX, true),
  sum,
  reverse,
  batch,
  slice,
  groupby,
  unique,
  map,
  select: selector(true, false),
  reject: selector(false, false),
  selectattr: selector(true, true),
  rejectattr: selector(false, true),
};

