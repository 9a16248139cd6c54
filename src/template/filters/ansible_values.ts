import { dictGet, formatValue, isNumeric, numValue, PyError, pyIterable, pyStr, pyTruthy, pyTypeName } from '../python/index.js';
import type { Filter } from '../registry.js';
import { PyDict, PyFloat, PyTuple, PyUndefined, type PyValue } from '../values.js';
import { defined, filterError, filterTypeError, intArg, isStrValue, PluginError, text, toPyFloat } from './common.js';
import { pyRound } from './jinja_values.js';
import { pyRandom, pyShuffle } from './pyrandom.js';
import { bind } from './signature.js';

/**
 * Ansible's filters over single values (plugins/filter/core.py, mathstuff.py): bool,
 * ternary, mandatory, type_debug, comment, random, shuffle, and the math filters.
 */

const toBool: Filter = (_env, value, call) => {
  bind({ name: 'to_bool', params: ['a'] }, value, call);
  defined(value);
  if (value === null || typeof value === 'boolean') return value;
  const v = isStrValue(value) ? text(value).toLowerCase() : value;
  return v === 'yes' || v === 'on' || v === '1' || v === 'true' || (typeof v === 'number' && v === 1) || (v instanceof PyFloat && v.value === 1);
};

const ternary: Filter = (_env, value, call) => {
  const b = bind({ name: 'ternary', params: ['value', 'true_val', 'false_val', 'none_val='] }, value, call);
  const noneVal = b.values.get('none_val');
  if (value === null && noneVal !== undefined && noneVal !== null) return noneVal;
  return pyTruthy(value) ? (b.values.get('true_val') ?? null) : (b.values.get('false_val') ?? null);
};

/** The variable name Jinja2 recorded for an undefined value (`'x' is undefined`). */
function undefinedName(u: PyUndefined): string | undefined {
  return /^'([^']*)' is undefined$/.exec(u.hint)?.[1];
}

const mandatory: Filter = (_env, value, call) => {
  const b = bind({ name: 'mandatory', params: ['a', 'msg='] }, value, call);
  if (!(value instanceof PyUndefined)) return value;
  const msg = b.values.get('msg');
  if (msg !== undefined && msg !== null) throw filterError(text(msg));
  const name = undefinedName(value);
  // Ansible's own message has the name followed by two spaces.
  throw filterError(`Mandatory variable ${name === undefined ? '' : `'${name}' `} not defined.`);
};

const typeDebug: Filter = (_env, value, call) => {
  bind({ name: 'type_debug', params: ['o'] }, value, call);
  return pyTypeName(value);
};

const COMMENT_STYLES: Record<string, Record<string, string>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

const comment: Filter = (_env, value, call) => {
  const b = bind({ name: 'comment', params: ['text', 'style=', '**kw'] }, value, call);
  const style = text(b.values.get('style') ?? 'plain');
  const styleParams = COMMENT_STYLES[style];
  if (!styleParams) throw new PyError('KeyError', `'${style}'`);
  const kw = b.restKw;
  const prepostfix = kw.has('decoration') ? text(kw.get('decoration') ?? '') : (styleParams.decoration ?? '');
  const p: Record<string, PyValue> = {
    newline: '\n',
    beginning: '',
    prefix: prepostfix.trimEnd(),
    prefix_count: 1,
    decoration: '',
    postfix: prepostfix.trimEnd(),
    postfix_count: 1,
    end: '',
    ...styleParams,
    ...Object.fromEntries(kw),
  };
  const s = (k: string): string => text(p[k] ?? '');
  const newline = s('newline');
  const decoration = s('decoration');
  const beginning = s('beginning') ? `${s('beginning')}${newline}` : '';
  let prefix = '';
  if (s('prefix')) {
    prefix = (s('prefix') !== newline ? `${s('prefix')}${newline}` : newline).repeat(intArg(p.prefix_count, 1));
  }
  const body = `${decoration}${text(value).split(newline).join(`${newline}${decoration}`)}`
    .split(`${decoration}${newline}`)
    .join(`${decoration.trimEnd()}${newline}`);
  const postfix = ['', ...Array.from({ length: intArg(p.postfix_count, 1) }, () => s('postfix'))].join(newline);
  const end = s('end') ? `${newline}${s('end')}` : '';
  return `${beginning}${prefix}${body}${postfix}${end}`;
};

/** A `seed=` as Python's Random accepts it from templates: str or int (None: system randomness). */
function seedOf(v: PyValue | undefined): string | number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return Number(v);
  return text(v);
}

/** `randrange(start, stop, step)` over a Python random source. */
function randrange(below: (n: number) => number, start: number, stop: number, step: number): number {
  const width = stop - start;
  if (step === 1) {
    if (width > 0) return start + below(width);
    throw new PyError('ValueError', `empty range for randrange() (${start}, ${stop}, ${width})`);
  }
  if (step === 0) throw new PyError('ValueError', 'zero step for randrange()');
  const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step);
  if (n <= 0) throw new PyError('ValueError', 'empty range for randrange()');
  return start + step * below(n);
}

const random: Filter = (_env, value, call) => {
  const b = bind({ name: 'rand', params: ['end', 'start=', 'step=', 'seed='], hidden: 1 }, value, call);
  const source = pyRandom(seedOf(b.values.get('seed')));
  const start = b.values.get('start');
  const step = b.values.get('step');
  if (typeof value === 'number' || typeof value === 'boolean') {
    const first = start === undefined || !pyTruthy(start) ? 0 : intArg(start, 0);
    const stride = step === undefined || !pyTruthy(step) ? 1 : intArg(step, 1);
    return randrange((n) => source.below(n), first, Number(value), stride);
  }
  if (isStrValue(value) || Array.isArray(value) || value instanceof PyTuple || value instanceof PyDict) {
    if ((start !== undefined && pyTruthy(start)) || (step !== undefined && pyTruthy(step))) {
      throw filterError('start and step can only be used with integer values');
    }
    const seq = pyIterable(value);
    if (seq.length === 0) throw new PyError('IndexError', 'Cannot choose from an empty sequence');
    const index = source.below(seq.length);
    // random.choice indexes the sequence: a dict is indexed by key.
    if (value instanceof PyDict) {
      const found = dictGet(value, index);
      if (found === undefined) throw new PyError('KeyError', String(index));
      return found;
    }
    return seq[index] as PyValue;
  }
  throw filterError('random can only be used on sequences and integers');
};

const shuffle: Filter = (_env, value, call) => {
  const b = bind({ name: 'randomize_list', params: ['mylist', 'seed='] }, value, call);
  let list: PyValue[];
  try {
    list = [...pyIterable(value)];
  } catch {
    return value;
  }
  const seed = b.values.get('seed');
  return pyShuffle(list, pyRandom(seed !== undefined && pyTruthy(seed) ? seedOf(seed) : null));
};

function numberArg(v: PyValue, filter: string): number {
  if (!isNumeric(v)) {
    throw filterTypeError(`${filter}() can only be used on numbers: must be real number, not ${pyTypeName(v)}`);
  }
  return numValue(v);
}

const mathDomainError = (): PluginError => new PyError('ValueError', 'math domain error');

const log: Filter = (_env, value, call) => {
  const b = bind({ name: 'logarithm', params: ['x', 'base='] }, value, call);
  const x = numberArg(value, 'log');
  const base = b.values.get('base');
  if (x <= 0) throw mathDomainError();
  if (base === undefined) return new PyFloat(Math.log(x));
  const bv = numberArg(base, 'log');
  if (bv === 10) return new PyFloat(Math.log10(x));
  if (bv <= 0) throw mathDomainError();
  if (bv === 1) throw new PyError('ZeroDivisionError', 'float division by zero');
  return new PyFloat(Math.log(x) / Math.log(bv));
};

const pow: Filter = (_env, value, call) => {
  const b = bind({ name: 'power', params: ['x', 'y'] }, value, call);
  const x = numberArg(value, 'pow');
  const y = numberArg(b.values.get('y') ?? null, 'pow');
  const result = x ** y;
  if (Number.isNaN(result)) throw mathDomainError();
  return new PyFloat(result);
};

const root: Filter = (_env, value, call) => {
  const b = bind({ name: 'inversepower', params: ['x', 'base='] }, value, call);
  const base = b.values.get('base') ?? 2;
  const domain = (): PluginError => filterTypeError('root() can only be used on numbers: math domain error');
  if (!isNumeric(value)) throw filterTypeError(`root() can only be used on numbers: must be real number, not ${pyTypeName(value)}`);
  const x = numValue(value);
  if (isNumeric(base) && numValue(base) === 2) {
    if (x < 0) throw domain();
    return new PyFloat(Math.sqrt(x));
  }
  const exponent = 1 / toPyFloat(base);
  const result = x ** exponent;
  if (Number.isNaN(result)) throw domain();
  return new PyFloat(result);
};

const SIZE_RANGES: Array<[string, number]> = [
  ['Y', 2 ** 80],
  ['Z', 2 ** 70],
  ['E', 2 ** 60],
  ['P', 2 ** 50],
  ['T', 2 ** 40],
  ['G', 2 ** 30],
  ['M', 2 ** 20],
  ['K', 2 ** 10],
  ['B', 1],
];

/** ansible.module_utils.common.text.formatters.bytes_to_human. */
const humanReadable: Filter = (_env, value, call) => {
  const b = bind({ name: 'human_readable', params: ['size', 'isbits=', 'unit='] }, value, call);
  const base = pyTruthy(b.values.get('isbits') ?? false) ? 'bits' : 'Bytes';
  const unitArg = b.values.get('unit');
  const unit = unitArg === undefined || unitArg === null ? null : text(unitArg).toUpperCase();
  if (!isNumeric(value)) {
    throw filterTypeError(`human_readable() failed on bad input: '>=' not supported between instances of '${pyTypeName(value)}' and 'int'`);
  }
  const size = numValue(value);
  let chosen: [string, number] = ['B', 1];
  for (const range of SIZE_RANGES) {
    chosen = range;
    if ((unit === null && size >= range[1]) || (unit !== null && unit === range[0])) break;
  }
  const suffix = chosen[1] !== 1 ? `${chosen[0]}${base[0]}` : base;
  return `${formatValue(new PyFloat(size / chosen[1]), '.2f')} ${suffix}`;
};

/** ansible.module_utils.common.text.formatters.human_to_bytes. */
export function humanToBytes(input: PyValue, defaultUnit: string | null, isbits: boolean): number {
  const raw = pyStr(input);
  const cannot = (): PluginError => filterError(`human_to_bytes() can't interpret following string: ${raw}`);
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(raw);
  if (!m) throw cannot();
  const numberText = m[1] ?? '';
  if (!/^(\d+\.?\d*|\.\d+)$/.test(numberText)) throw cannot();
  const num = Number(numberText);
  const unit = m[2] ?? defaultUnit;
  if (unit === null || unit === undefined) return pyRound(num, 0);
  const rangeKey = unit[0]?.toUpperCase() ?? '';
  const limit = SIZE_RANGES.find(([k]) => k === rangeKey)?.[1];
  if (limit === undefined) throw cannot();
  const unitClass = isbits ? 'b' : 'B';
  const unitClassName = isbits ? 'bit' : 'byte';
  if (unit.length > 1 && !unit.toLowerCase().includes(unitClassName) && unit[1] !== unitClass) throw cannot();
  return pyRound(num * limit, 0);
}

const humanToBytesFilter: Filter = (_env, value, call) => {
  const b = bind({ name: 'human_to_bytes', params: ['size', 'default_unit=', 'isbits='] }, value, call);
  const unit = b.values.get('default_unit');
  return humanToBytes(value, unit === undefined || unit === null ? null : text(unit), pyTruthy(b.values.get('isbits') ?? false));
};

export const ansibleValueFilters: Record<string, Filter> = {
  bool: toBool,
  ternary,
  mandatory,
  type_debug: typeDebug,
  comment,
  random,
  shuffle,
  log,
  pow,
  root,
  human_readable: humanReadable,
  human_to_bytes: humanToBytesFilter,
};
