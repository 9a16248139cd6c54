import { dictGet, dictHas, percentFormat, pyRepr, pyStr, pyTruthy } from '../python/index.js';
import type { Lookup, PluginEnv } from '../registry.js';
import { PyDict, PyTuple, type PyValue } from '../values.js';
import { isStrValue, parseIntText, PluginError, text } from '../filters/common.js';
import { pyRandom } from '../filters/pyrandom.js';
import { parseKv } from './kv.js';

/**
 * Lookups that reshape their terms (lib/ansible/plugins/lookup/): items, list, dict,
 * indexed_items, together, nested, subelements, sequence.
 */

const ansibleError = (message: string): PluginError => new PluginError('AnsibleError', message);

/** LookupBase._flatten: one level of lists and tuples. */
function flattenOnce(terms: PyValue[]): PyValue[] {
  return terms.flatMap((t) => (Array.isArray(t) ? t : t instanceof PyTuple ? t.items : [t]));
}

/**
 * `listify_lookup_plugin_terms`: a string term is templated (and a string result wrapped
 * in a list), a list stays a list.
 */
function listify(env: PluginEnv, term: PyValue): PyValue[] {
  const value = isStrValue(term) ? env.renderTemplate(text(term).trim()) : term;
  if (Array.isArray(value)) return value;
  if (value instanceof PyTuple) return value.items;
  if (value instanceof PyDict) return [...value.keys()];
  return [value];
}

export const items: Lookup = (_env, terms) => flattenOnce(terms);

export const list: Lookup = (_env, terms) => terms;

/** random_choice: one of the terms, from the system's randomness. */
export const randomChoice: Lookup = (_env, terms) => (terms.length > 0 ? [terms[pyRandom(null).below(terms.length)] as PyValue] : terms);

export const dict: Lookup = (_env, terms) =>
  terms.flatMap((term) => {
    if (!(term instanceof PyDict)) throw ansibleError('with_dict expects a dict');
    return [...term].map(([key, value]) => new PyDict([['key', key], ['value', value]]));
  });

export const indexedItems: Lookup = (_env, terms) => flattenOnce(terms).map((item, i) => new PyTuple([i, item]));

export const together: Lookup = (env, terms) => {
  const lists = terms.map((t) => listify(env, t));
  if (lists.length === 0) throw ansibleError('with_together requires at least one element in each list');
  const size = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: size }, (_, i) => flattenOnce(lists.map((l) => (i < l.length ? (l[i] as PyValue) : null))));
};

export const nested: Lookup = (env, terms) => {
  const lists = terms.map((t) => listify(env, t));
  if (lists.length === 0) throw ansibleError('with_nested requires at least one element in the nested list');
  let result: PyValue[] = lists[0] ?? [];
  for (const next of lists.slice(1)) result = result.flatMap((x) => next.map((y) => flattenOnce([x, y])));
  return result.map((x) => flattenOnce([x]));
};

export const subelements: Lookup = (env, terms) => {
  const termsError = (msg = ''): PluginError => ansibleError(`subelements lookup expects a list of two or three items, ${msg}`);
  if (terms.length < 2 || terms.length > 3) throw termsError();
  // listify_lookup_plugin_terms keeps any iterable (a mapping too) and wraps anything else in a list.
  const first = terms[0] ?? null;
  const iterable = Array.isArray(first) || first instanceof PyDict || first instanceof PyTuple;
  const source = isStrValue(first) ? listify(env, first) : iterable ? first : [first];
  const path = terms[1] ?? null;
  if (!(Array.isArray(source) || source instanceof PyDict) || !isStrValue(path)) {
    throw termsError('first a dict or a list, second a string pointing to the subkey');
  }
  const keys = text(path).split('.');
  let elements: PyValue[];
  if (source instanceof PyDict) {
    if (dictGet(source, 'skipped') !== undefined && dictGet(source, 'skipped') !== false) return [];
    elements = [...source.values()];
  } else elements = source;
  const flags = terms[2] ?? new PyDict();
  if (!(flags instanceof PyDict)) throw termsError("the optional third item must be a dict with flags ('skip_missing',)");
  const skipMissing = pyTruthy(dictGet(flags, 'skip_missing') ?? false);
  const results: PyValue[] = [];
  for (const original of elements) {
    if (!(original instanceof PyDict)) throw ansibleError(`subelements lookup expects a dictionary, got '${pyStr(original)}'`);
    const skipped = dictGet(original, 'skipped');
    if (skipped !== undefined && skipped !== false) continue;
    // Ansible pops the list out of the item it yields (`subvalue.pop(subkey)`), so item.0 no
    // longer holds it; the dicts along the path are copied so the variable itself is kept.
    const element = new PyDict(original);
    let sub: PyDict = element;
    let sublist: PyValue[] = [];
    keys.forEach((key, i) => {
      const last = i === keys.length - 1;
      if (!dictHas(sub, key)) {
        if (skipMissing) return;
        throw ansibleError(`could not find '${key}' key in iterated item '${pyStr(sub)}'`);
      }
      const value = dictGet(sub, key) ?? null;
      if (!last) {
        if (value instanceof PyDict) {
          const copy = new PyDict(value);
          sub.set(key, copy);
          sub = copy;
        } else if (!skipMissing) throw ansibleError(`the key ${key} should point to a dictionary, got '${pyStr(value)}'`);
      } else if (!Array.isArray(value)) {
        throw ansibleError(`the key ${key} should point to a list, got '${pyStr(value)}'`);
      } else {
        sublist = value;
        sub.delete(key);
      }
    });
    for (const item of sublist) results.push(new PyTuple([element, item]));
  }
  return results;
};

// The shortcut form `[start-]end[/stride][:format]` (lib/ansible/plugins/lookup/sequence.py).
const SHORTCUT = /^((0?x?[0-9a-f]+)-)?(0?x?[0-9a-f]+)(\/(0?x?[0-9a-f]+))?(:(.+))?$/is;

interface Sequence {
  start: number;
  end: number | null;
  count: number | null;
  stride: number;
  format: string;
}

function parseSequenceInt(name: string, raw: string): number {
  try {
    return parseIntText(raw, 0);
  } catch {
    throw ansibleError(`can't parse ${name}=${raw} as integer`);
  }
}

function parseSequence(term: string): Sequence {
  const seq: Sequence = { start: 1, end: null, count: null, stride: 1, format: '%d' };
  const m = SHORTCUT.exec(term);
  if (m) {
    if (m[2] !== undefined) seq.start = parseSequenceInt('start', m[2]);
    if (m[3] !== undefined) seq.end = parseSequenceInt('end', m[3]);
    if (m[5] !== undefined) seq.stride = parseSequenceInt('stride', m[5]);
    if (m[7] !== undefined) seq.format = m[7];
    return seq;
  }
  const args = parseKv(term);
  for (const key of ['start', 'end', 'count', 'stride'] as const) {
    const raw = args.get(key);
    args.delete(key);
    if (raw !== undefined) seq[key] = parseSequenceInt(key, raw);
  }
  const format = args.get('format');
  args.delete('format');
  if (format !== undefined) seq.format = format;
  if (args.size > 0) throw ansibleError(`unrecognized arguments to with_sequence: [${[...args.keys()].map((k) => `'${k}'`).join(', ')}]`);
  return seq;
}

function generate(seq: Sequence): string[] {
  let { start, end, stride } = seq;
  if (seq.count === null && end === null) throw ansibleError('must specify count or end in with_sequence');
  if (seq.count !== null && end !== null) throw ansibleError("can't specify both count and end in with_sequence");
  if (seq.count !== null) {
    if (seq.count !== 0) end = start + seq.count * stride - 1;
    else start = end = stride = 0;
  }
  const last = end ?? 0;
  if (stride > 0 && last < start) throw ansibleError('to count backwards make stride negative');
  if (stride < 0 && last > start) throw ansibleError("to count forward don't make stride negative");
  if (seq.format.split('%').length - 1 !== 1) throw ansibleError(`bad formatting string: ${seq.format}`);
  if (stride === 0) return [];
  const out: string[] = [];
  const stop = last + (stride >= 0 ? 1 : -1);
  for (let i = start; stride > 0 ? i < stop : i > stop; i += stride) {
    try {
      out.push(percentFormat(seq.format, i));
    } catch {
      throw ansibleError(`problem formatting ${i} with ${pyRepr(seq.format)}`);
    }
  }
  return out;
}

export const sequence: Lookup = (_env, terms) => terms.flatMap((term) => generate(parseSequence(pyStr(term))));
