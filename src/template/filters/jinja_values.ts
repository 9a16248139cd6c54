import { isNumeric, numValue, PyDictView, PyError, pyIterable, pyTruthy, pyTypeName, strRepr, typeError } from '../python/index.js';
import type { Filter } from '../registry.js';
import { objectTypeRepr, pythonAttribute } from '../runtime/access.js';
import { PyDict, PyFloat, PyTuple, PyUndefined, type PyValue } from '../values.js';
import { defined, ignoreCase, intArg, isStrValue, parsePyIntText, PluginError, text, toPyFloat, toPyInt } from './common.js';
import { htmlEscape } from './html.js';
import { bind, type Signature } from './signature.js';
import { pySorted } from './sorting.js';
import { lazyRegExp } from '../unicode_regexp.js';

/** Jinja2 3.1.2's filters over single values: defaults, numbers, mappings, URLs. */

const sig = (name: string, params: string[], hidden = 0): Signature => ({ name, params, hidden });
const argumentError = (message: string): PluginError => new PluginError('FilterArgumentError', message);

const DEFAULT = sig('do_default', ['value', 'default_value=', 'boolean=']);
const ABS: Signature = { name: 'abs', params: ['x'], builtin: true };
const INT = sig('do_int', ['value', 'default=', 'base=']);
const FLOAT = sig('do_float', ['value', 'default=']);
const ROUND = sig('do_round', ['value', 'precision=', 'method=']);
const ATTR = sig('do_attr', ['obj', 'name'], 1);
const ITEMS = sig('do_items', ['value']);
const DICTSORT = sig('do_dictsort', ['value', 'case_sensitive=', 'by=', 'reverse=']);
const URLENCODE = sig('do_urlencode', ['value']);
const URLIZE = sig('do_urlize', ['value', 'trim_url_limit=', 'nofollow=', 'target=', 'rel=', 'extra_schemes='], 1);

const fallback: Filter = (_env, value, call) => {
  const b = bind(DEFAULT, value, call);
  const replacement = b.values.get('default_value') ?? '';
  if (value instanceof PyUndefined || (pyTruthy(b.values.get('boolean') ?? false) && !pyTruthy(value))) return replacement;
  return value;
};

const abs: Filter = (_env, value, call) => {
  bind(ABS, value, call);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Math.abs(value);
  if (typeof value === 'bigint') return value < 0n ? -value : value;
  if (value instanceof PyFloat) return new PyFloat(Math.abs(value.value));
  throw typeError(`bad operand type for abs(): '${pyTypeName(value)}'`);
};

/** Only Python's TypeError and ValueError make `int`/`float` fall back to their default. */
const isConversionError = (error: unknown): boolean => error instanceof PyError && (error.pyName === 'TypeError' || error.pyName === 'ValueError');

/** `do_int`: `int(value)`, else `int(float(value))` ("42.23"|int is 42), else the default. */
const int: Filter = (_env, value, call) => {
  const b = bind(INT, value, call);
  defined(value);
  try {
    return isStrValue(value) ? parsePyIntText(text(value), intArg(b.values.get('base'), 10)) : toPyInt(value);
  } catch (error) {
    if (!isConversionError(error)) throw error;
    try {
      return toPyInt(new PyFloat(toPyFloat(value)));
    } catch (second) {
      if (!isConversionError(second)) throw second;
      return b.values.get('default') ?? 0;
    }
  }
};

const float: Filter = (_env, value, call) => {
  const b = bind(FLOAT, value, call);
  defined(value);
  try {
    return new PyFloat(toPyFloat(value));
  } catch (error) {
    if (!isConversionError(error)) throw error;
    return b.values.get('default') ?? new PyFloat(0);
  }
};

/**
 * Python's `round(x, n)`: half to even, decided on the exact binary value of x (so
 * `round(2.675, 2)` is 2.67), which `toFixed` with enough spare digits exposes.
 */
export function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return x;
  const fixed = x.toFixed(Math.min(100, Math.max(0, digits) + 30));
  const negative = fixed.startsWith('-');
  const [whole = '0', fraction = ''] = fixed.replace('-', '').split('.');
  const scaled = BigInt(whole + fraction);
  const drop = fraction.length - digits;
  if (drop <= 0) return x;
  const divisor = 10n ** BigInt(drop);
  let quotient = scaled / divisor;
  const twice = (scaled % divisor) * 2n;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
  const result = Number(`${quotient}e${-digits}`);
  return negative ? -result : result;
}

const round: Filter = (_env, value, call) => {
  const b = bind(ROUND, value, call);
  const method = text(b.values.get('method') ?? 'common');
  if (!['common', 'ceil', 'floor'].includes(method)) throw argumentError('method must be common, ceil or floor');
  const precision = intArg(b.values.get('precision'), 0);
  if (!isNumeric(value)) throw typeError(`type ${pyTypeName(value)} doesn't define __round__ method`);
  const x = numValue(value);
  if (method === 'common') {
    // round() of an int (or bool) stays an int.
    if (!(value instanceof PyFloat)) return precision >= 0 ? (typeof value === 'bigint' ? value : x) : pyRound(x, precision);
    return new PyFloat(pyRound(x, precision));
  }
  const scale = 10 ** precision;
  return new PyFloat((method === 'ceil' ? Math.ceil(x * scale) : Math.floor(x * scale)) / scale);
};

/** Jinja2's `do_attr`: an attribute only (a dict's keys are not attributes). */
const attr: Filter = (_env, value, call) => {
  const b = bind(ATTR, value, call);
  const name = text(b.values.get('name') ?? '');
  return pythonAttribute(value, name) ?? new PyUndefined(`${strRepr(objectTypeRepr(value))} has no attribute ${strRepr(name)}`);
};

const items: Filter = (_env, value, call) => {
  bind(ITEMS, value, call);
  if (value instanceof PyUndefined) return [];
  if (!(value instanceof PyDict)) throw typeError('Can only get item pairs from a mapping.');
  return new PyDictView('dict_items', value).items();
};

const dictsort: Filter = (_env, value, call) => {
  const b = bind(DICTSORT, value, call);
  const by = text(b.values.get('by') ?? 'key');
  if (by !== 'key' && by !== 'value') throw argumentError('You can only sort by either "key" or "value"');
  const position = by === 'key' ? 0 : 1;
  const caseSensitive = pyTruthy(b.values.get('case_sensitive') ?? false);
  if (!(value instanceof PyDict)) throw new PyError('AttributeError', `'${pyTypeName(value)}' object has no attribute 'items'`);
  const pairs = new PyDictView('dict_items', value).items() as PyTuple[];
  return pySorted(
    pairs,
    (pair) => {
      const v = pair.items[position] ?? null;
      return caseSensitive ? v : ignoreCase(v);
    },
    pyTruthy(b.values.get('reverse') ?? false),
  );
};

/** urllib's `quote` over UTF-8 bytes; `safe` characters stay as they are. */
function urlQuote(s: string, safe: string): string {
  const unreserved = /[A-Za-z0-9_.\-~]/;
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && (unreserved.test(ch) || safe.includes(ch)) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Jinja2's `url_quote`: "/" kept in paths; in query strings quoted, with "+" for spaces. */
export function jinjaUrlQuote(v: PyValue, forQuery = false): string {
  const quoted = urlQuote(text(v), forQuery ? '' : '/');
  return forQuery ? quoted.replace(/%20/g, '+') : quoted;
}

const urlencode: Filter = (_env, value, call) => {
  bind(URLENCODE, value, call);
  if (isStrValue(value) || !(value instanceof PyDict || Array.isArray(value) || value instanceof PyTuple)) return jinjaUrlQuote(value);
  const pairs = value instanceof PyDict ? [...value] : pyIterable(value).map((p) => pyIterable(p));
  return pairs.map(([k, v]) => `${jinjaUrlQuote(k ?? null, true)}=${jinjaUrlQuote(v ?? null, true)}`).join('&');
};

const httpUrl = lazyRegExp(() =>
  /^(?:(?:https?:\/\/|www\.)(?:(?:[\p{L}\p{N}_%-]+\.)+)?(?:[a-z]{2,63}|xn--[\p{L}\p{N}_%]{2,59})|(?:[\p{L}\p{N}_%-]{2,63}\.)+(?:com|net|int|edu|gov|org|info|mil)|https?:\/\/(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|\[(?:[0-9a-f]{0,4}:){2}(?:[0-9a-f]{0,4}:?){1,6}\]))(?::[0-9]{1,5})?(?:[/?#]\S*)?$/iu);
const email = lazyRegExp(() => /^\S+@[\p{L}\p{N}_][\p{L}\p{N}_.-]*\.[\p{L}\p{N}_]+$/u);
const uriScheme = lazyRegExp(() => /^[\p{L}\p{N}_.+-]{2,}:(\/){0,2}$/u);

/** Jinja2's `utils.urlize` with the default `rel="noopener"` policy. */
const urlize: Filter = (_env, value, call) => {
  const b = bind(URLIZE, value, call);
  const relParts = new Set(text(b.values.get('rel') ?? '').split(/\s+/).filter(Boolean));
  if (pyTruthy(b.values.get('nofollow') ?? false)) relParts.add('nofollow');
  relParts.add('noopener');
  const rel = [...relParts].sort().join(' ');
  const target = b.values.get('target');
  const schemes = b.values.get('extra_schemes');
  const extraSchemes = schemes === undefined || schemes === null ? [] : pyIterable(schemes).map(text);
  for (const scheme of extraSchemes) {
    if (!uriScheme().test(scheme)) throw argumentError(`'${scheme}' is not a valid URI scheme prefix.`);
  }
  const limit = b.values.get('trim_url_limit');
  const trim = (x: string): string => (limit !== undefined && limit !== null && x.length > intArg(limit, 0) ? `${x.slice(0, intArg(limit, 0))}...` : x);
  const relAttr = rel ? ` rel="${htmlEscape(rel)}"` : '';
  const targetAttr = target !== undefined && target !== null && pyTruthy(target) ? ` target="${htmlEscape(text(target))}"` : '';
  const words = htmlEscape(text(value)).split(/(\s+)/);
  return words
    .map((word) => {
      let head = '';
      let middle = word;
      let tail = '';
      const lead = /^(?:[(<]|&lt;)+/.exec(middle);
      if (lead) {
        head = lead[0];
        middle = middle.slice(lead[0].length);
      }
      const trailing = /(?:[)>.,\n]|&gt;)+$/.exec(middle);
      if (trailing) {
        tail = trailing[0];
        middle = middle.slice(0, trailing.index);
      }
      for (const [open, close] of [['(', ')'], ['<', '>'], ['&lt;', '&gt;']] as const) {
        const opens = middle.split(open).length - 1;
        if (opens <= middle.split(close).length - 1) continue;
        for (let n = Math.min(opens, tail.split(close).length - 1); n > 0; n--) {
          const end = tail.indexOf(close) + close.length;
          middle += tail.slice(0, end);
          tail = tail.slice(end);
        }
      }
      if (httpUrl().test(middle)) {
        const href = middle.startsWith('https://') || middle.startsWith('http://') ? middle : `https://${middle}`;
        middle = `<a href="${href}"${relAttr}${targetAttr}>${trim(middle)}</a>`;
      } else if (middle.startsWith('mailto:') && email().test(middle.slice(7))) {
        middle = `<a href="${middle}">${middle.slice(7)}</a>`;
      } else if (middle.includes('@') && !middle.startsWith('www.') && !middle.includes(':') && email().test(middle)) {
        middle = `<a href="mailto:${middle}">${middle}</a>`;
      } else {
        for (const scheme of extraSchemes) {
          if (middle !== scheme && middle.startsWith(scheme)) middle = `<a href="${middle}"${relAttr}${targetAttr}>${middle}</a>`;
        }
      }
      return `${head}${middle}${tail}`;
    })
    .join('');
};

export const jinjaValueFilters: Record<string, Filter> = {
  default: fallback,
  d: fallback,
  abs,
  int,
  float,
  round,
  attr,
  items,
  dictsort,
  urlencode,
  urlize,
};

