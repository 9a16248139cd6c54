import { callMethod, capitalize, formatValue, percentFormat, pyTruthy, typeError, valueError } from '../python/index.js';
import { splitLines } from '../python/text.js';
import type { Filter } from '../registry.js';
import { PyDict, PyFloat, PyTuple, PyUndefined, type PyValue } from '../values.js';
import { intArg, isStrValue, PluginError, text, toPyFloat } from './common.js';
import { htmlEscape, htmlUnescape } from './html.js';
import { bind, type Signature } from './signature.js';
import { wrapText } from './textwrap.js';

/** Jinja2 3.1.2's string filters (jinja2/filters.py). */

const sig = (name: string, params: string[], hidden = 0): Signature => ({ name, params, hidden });
const arg = (b: { values: Map<string, PyValue | undefined> }, name: string): PyValue | undefined => b.values.get(name);

const UPPER = sig('do_upper', ['s']);
const LOWER = sig('do_lower', ['s']);
const CAPITALIZE = sig('do_capitalize', ['s']);
const TITLE = sig('do_title', ['s']);
const CENTER = sig('do_center', ['value', 'width=']);
const TRIM = sig('do_trim', ['value', 'chars=']);
const TRUNCATE = sig('do_truncate', ['s', 'length=', 'killwords=', 'end=', 'leeway='], 1);
const WORDCOUNT = sig('do_wordcount', ['s']);
const WORDWRAP = sig('do_wordwrap', ['s', 'width=', 'break_long_words=', 'wrapstring=', 'break_on_hyphens='], 1);
const REPLACE = sig('do_replace', ['s', 'old', 'new', 'count='], 1);
const INDENT = sig('do_indent', ['s', 'width=', 'first=', 'blank=']);
const FORMAT = sig('do_format', ['value', '*args', '**kwargs']);
const STRIPTAGS = sig('do_striptags', ['value']);
const ESCAPE: Signature = { name: 'markupsafe._speedups.escape', params: ['s'], builtin: true };
const FORCEESCAPE = sig('do_forceescape', ['value']);
const SAFE = sig('do_mark_safe', ['value']);
const STRING = sig('soft_str', ['s']);
const FILESIZE = sig('do_filesizeformat', ['value', 'binary=']);
const XMLATTR = sig('do_xmlattr', ['d', 'autospace='], 1);

const oneText = (s: Signature, fn: (t: string) => string): Filter => (_env, value, call) => {
  bind(s, value, call);
  return fn(text(value));
};

/** Jinja2's `do_title`: words start after `-`, whitespace and opening brackets only. */
function jinjaTitle(s: string): string {
  return s
    .split(/([-\s({[<]+)/u)
    .filter(Boolean)
    .map((item) => {
      const [first = '', ...rest] = Array.from(item);
      return first.toUpperCase() + rest.join('').toLowerCase();
    })
    .join('');
}

const truncate: Filter = (_env, value, call) => {
  const b = bind(TRUNCATE, value, call);
  const s = Array.from(text(value));
  const length = intArg(arg(b, 'length'), 255);
  const end = Array.from(text(arg(b, 'end') ?? '...'));
  // Jinja2's default policy `truncate.leeway` is 5.
  const leeway = arg(b, 'leeway') === undefined || arg(b, 'leeway') === null ? 5 : intArg(arg(b, 'leeway'), 5);
  if (length < end.length) throw new PluginError('AssertionError', `expected length >= ${end.length}, got ${length}`);
  if (leeway < 0) throw new PluginError('AssertionError', `expected leeway >= 0, got ${leeway}`);
  if (s.length <= length + leeway) return text(value);
  const head = s.slice(0, Math.max(0, length - end.length)).join('');
  if (pyTruthy(arg(b, 'killwords') ?? false)) return head + end.join('');
  const cut = head.lastIndexOf(' ');
  return (cut >= 0 ? head.slice(0, cut) : head) + end.join('');
};

const wordwrap: Filter = (_env, value, call) => {
  const b = bind(WORDWRAP, value, call);
  const wrapstring = arg(b, 'wrapstring');
  const joiner = wrapstring === undefined || wrapstring === null ? '\n' : text(wrapstring);
  const options = {
    width: intArg(arg(b, 'width'), 79),
    breakLongWords: pyTruthy(arg(b, 'break_long_words') ?? true),
    breakOnHyphens: pyTruthy(arg(b, 'break_on_hyphens') ?? true),
  };
  return splitLines(text(value), false)
    .map((line) => wrapText(line, options).join(joiner))
    .join(joiner);
};

const replace: Filter = (_env, value, call) => {
  const b = bind(REPLACE, value, call);
  const count = arg(b, 'count');
  const args: PyValue[] = [text(arg(b, 'old') ?? ''), text(arg(b, 'new') ?? '')];
  if (count !== undefined && count !== null) args.push(count);
  return callMethod(text(value), 'replace', args);
};

const indent: Filter = (_env, value, call) => {
  const b = bind(INDENT, value, call);
  const width = arg(b, 'width') ?? 4;
  const indention = isStrValue(width) ? text(width) : ' '.repeat(intArg(width, 4));
  const lines = splitLines(`${text(value)}\n`, false);
  let result: string;
  if (pyTruthy(arg(b, 'blank') ?? false)) result = lines.join(`\n${indention}`);
  else {
    const [first = '', ...rest] = lines;
    result = first + (rest.length > 0 ? `\n${rest.map((l) => (l ? indention + l : l)).join('\n')}` : '');
  }
  return pyTruthy(arg(b, 'first') ?? false) ? indention + result : result;
};

const format: Filter = (_env, value, call) => {
  const b = bind(FORMAT, value, call);
  if (b.rest.length > 0 && b.restKw.size > 0) {
    throw new PluginError('FilterArgumentError', "can't handle positional and keyword arguments at the same time");
  }
  const values: PyValue = b.restKw.size > 0 ? new PyDict(b.restKw) : new PyTuple(b.rest);
  return percentFormat(text(value), values);
};

const striptags: Filter = (_env, value, call) => {
  bind(STRIPTAGS, value, call);
  const stripped = text(value).replace(/<!--[\s\S]*?-->/g, '').replace(/<[\s\S]*?>/g, '');
  return htmlUnescape(stripped.split(/[\s\x1c-\x1f\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/).filter(Boolean).join(' '));
};

const center: Filter = (_env, value, call) => {
  const b = bind(CENTER, value, call);
  return callMethod(text(value), 'center', [arg(b, 'width') ?? 80]);
};

const trim: Filter = (_env, value, call) => {
  const b = bind(TRIM, value, call);
  return callMethod(text(value), 'strip', [arg(b, 'chars') ?? null]);
};

const wordcount: Filter = (_env, value, call) => {
  bind(WORDCOUNT, value, call);
  return (text(value).match(/[\p{L}\p{N}_\p{Mn}\p{Mc}]+/gu) ?? []).length;
};

const filesizeformat: Filter = (_env, value, call) => {
  const b = bind(FILESIZE, value, call);
  const binary = pyTruthy(arg(b, 'binary') ?? false);
  const bytes = toPyFloat(value);
  const base = binary ? 1024 : 1000;
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = base;
  let prefix = '';
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    prefix = prefixes[i] ?? '';
    if (bytes < unit) break;
  }
  return `${formatValue(new PyFloat((base * bytes) / unit), '.1f')} ${prefix}`;
};

const xmlattr: Filter = (_env, value, call) => {
  const b = bind(XMLATTR, value, call);
  if (!(value instanceof PyDict)) throw typeError(`'${typeof value}' object has no attribute 'items'`);
  const items: string[] = [];
  for (const [key, v] of value) {
    if (v === null || v instanceof PyUndefined) continue;
    const name = text(key);
    if (/[\s/>=]/.test(name)) throw valueError(`Invalid character in attribute name: '${name}'`);
    items.push(`${htmlEscape(name)}="${htmlEscape(text(v))}"`);
  }
  const rv = items.join(' ');
  return pyTruthy(arg(b, 'autospace') ?? true) && rv ? ` ${rv}` : rv;
};

const escape: Filter = (_env, value, call) => {
  bind(ESCAPE, value, call);
  return htmlEscape(text(value));
};

export const jinjaStringFilters: Record<string, Filter> = {
  upper: oneText(UPPER, (s) => s.toUpperCase()),
  lower: oneText(LOWER, (s) => s.toLowerCase()),
  capitalize: oneText(CAPITALIZE, capitalize),
  title: oneText(TITLE, jinjaTitle),
  center,
  trim,
  truncate,
  wordcount,
  wordwrap,
  replace,
  indent,
  format,
  striptags,
  escape,
  e: escape,
  forceescape: (env, value, call) => {
    bind(FORCEESCAPE, value, call);
    return escape(env, value, { args: [], kwargs: new Map() });
  },
  safe: (_env, value, call) => {
    bind(SAFE, value, call);
    return value;
  },
  string: oneText(STRING, (s) => s),
  filesizeformat,
  xmlattr,
};
