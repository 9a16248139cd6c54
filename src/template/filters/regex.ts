import { callMethod, PyError, pyStr, pyTruthy, pyTypeName, typeError } from '../python/index.js';
import type { Filter } from '../registry.js';
import { PyTuple, PyUndefined, type PyValue } from '../values.js';
import { filterError, isStrValue, text } from './common.js';
import { compilePyRegex, findAll, pyReEscape, search, substitute, type PyRegex } from './pyregex.js';
import { bind } from './signature.js';

/**
 * regex_replace, regex_search, regex_findall, regex_escape and split
 * (lib/ansible/plugins/filter/core.py), with Python `re` semantics.
 */

/** `to_text(value, nonstring='simplerepr')`: non-strings are matched as their `str()`. */
function subject(v: PyValue | undefined): string {
  if (v === undefined) return '';
  if (v instanceof PyUndefined) return pyStr(v);
  return isStrValue(v) ? text(v) : pyStr(v);
}

function compile(pattern: PyValue | undefined, ignorecase: PyValue | undefined, multiline: PyValue | undefined): PyRegex {
  return compilePyRegex(text(pattern ?? ''), {
    ignorecase: pyTruthy(ignorecase ?? false),
    multiline: pyTruthy(multiline ?? false),
  });
}

const regexReplace: Filter = (_env, value, call) => {
  const b = bind({ name: 'regex_replace', params: ['value=', 'pattern=', 'replacement=', 'ignorecase=', 'multiline='] }, value, call);
  const compiled = compile(b.values.get('pattern'), b.values.get('ignorecase'), b.values.get('multiline'));
  return substitute(compiled, text(b.values.get('replacement') ?? ''), subject(b.values.get('value')));
};

const regexFindall: Filter = (_env, value, call) => {
  const b = bind({ name: 'regex_findall', params: ['value', 'regex', 'multiline=', 'ignorecase='] }, value, call);
  const compiled = compile(b.values.get('regex'), b.values.get('ignorecase'), b.values.get('multiline'));
  return findAll(compiled, subject(value)).map((m): PyValue => {
    if (compiled.groups === 0) return m[0];
    if (compiled.groups === 1) return m[1] ?? '';
    return new PyTuple(Array.from({ length: compiled.groups }, (_, i) => m[i + 1] ?? ''));
  });
};

const regexSearch: Filter = (_env, value, call) => {
  const b = bind({ name: 'regex_search', params: ['value', 'regex', '*args', '**kwargs'] }, value, call);
  const groups: Array<number | string> = b.rest.map((arg) => {
    const a = text(arg);
    if (a.startsWith('\\g')) {
      const name = /^\\g<(\S+)>/.exec(a)?.[1];
      if (name === undefined) throw new PyError('AttributeError', "'NoneType' object has no attribute 'group'");
      return name;
    }
    if (a.startsWith('\\')) {
      const n = /^\\(\d+)/.exec(a)?.[1];
      if (n === undefined) throw new PyError('AttributeError', "'NoneType' object has no attribute 'group'");
      return Number(n);
    }
    throw filterError('Unknown argument');
  });
  const compiled = compile(b.values.get('regex'), b.restKw.get('ignorecase'), b.restKw.get('multiline'));
  const m = search(compiled, subject(value));
  if (!m) return null;
  if (groups.length === 0) return m[0];
  return groups.map((g) => {
    const index = typeof g === 'number' ? g : (compiled.names.get(g) ?? (/^\d+$/.test(g) ? Number(g) : undefined));
    if (index === undefined || index > compiled.groups) throw new PyError('IndexError', 'no such group');
    return m[index] ?? null;
  });
};

const regexEscape: Filter = (_env, value, call) => {
  const b = bind({ name: 'regex_escape', params: ['string', 're_type='] }, value, call);
  const reType = text(b.values.get('re_type') ?? 'python');
  const s = subject(value);
  if (reType === 'python') return pyReEscape(s);
  if (reType === 'posix_basic') return s.replace(/[\].[^$*\\]/g, (c) => `\\${c}`);
  if (reType === 'posix_extended') throw filterError(`Regex type (${reType}) not yet implemented`);
  throw filterError(`Invalid regex type (${reType})`);
};

/** Ansible's `split`: `str.split` on the value. */
const split: Filter = (_env, value, call) => {
  if (!isStrValue(value)) {
    throw typeError(`descriptor 'split' for 'str' objects doesn't apply to a '${pyTypeName(value)}' object`);
  }
  return callMethod(text(value), 'split', call.args, call.kwargs);
};

export const regexFilters: Record<string, Filter> = {
  regex_replace: regexReplace,
  regex_findall: regexFindall,
  regex_search: regexSearch,
  regex_escape: regexEscape,
  split,
};
