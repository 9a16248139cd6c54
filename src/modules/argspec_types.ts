import { homedir } from 'node:os';
import { pyStr } from '../template/python/index.js';
import { PyDict, PyFloat, PyUnsafe, type PyValue } from '../template/values.js';
import { toBool } from './argspec.js';

/**
 * The type checkers of Ansible's ArgumentSpecValidator (module_utils/common/validation.py
 * `check_type_*`), for modules' arguments (argspec.ts) and argument specs written in YAML
 * (role argument_specs, validate_argument_spec): each returns the converted value or throws a TypeCheckError with
 * Ansible's words. `className` is `type(value)` as Python prints it.
 */
export class TypeCheckError extends Error {}

/** Types of Ansible's DEFAULT_TYPE_VALIDATORS that fleet does not convert. */
export const UNCONVERTED_TYPES = new Set(['bytes', 'bits', 'json', 'jsonarg']);

/** `type(value)` as Python prints it (`<class 'str'>`). */
export type ClassName = (value: PyValue) => string;

const isText = (value: PyValue): value is string | PyUnsafe => typeof value === 'string' || value instanceof PyUnsafe;
const textOf = (value: string | PyUnsafe): string => (typeof value === 'string' ? value : value.value);
/** Python's int includes bool. */
const isPyInt = (value: PyValue): boolean => typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';

// Python's int(): optional sign, digits with single underscores between them, surrounding whitespace.
const PY_INT = /^\s*[-+]?\d+(_\d+)*\s*$/;
// Python's float(): decimal or exponent forms, inf, infinity and nan, any case.
const PY_FLOAT = /^\s*[-+]?((\d+(_\d+)*)?\.?\d+(_\d+)*([eE][-+]?\d+(_\d+)*)?|\d+(_\d+)*\.|inf|infinity|nan)\s*$/i;

function checkStr(value: PyValue): PyValue {
  return isText(value) ? value : pyStr(value);
}

/** os.path.expanduser(os.path.expandvars(value)) on the controller. */
function checkPath(value: PyValue): PyValue {
  const text = pyStr(checkStr(value));
  const expanded = text.replace(/\$(\w+)|\$\{([^}]*)\}/g, (whole, bare: string | undefined, braced: string | undefined) => process.env[bare ?? braced ?? ''] ?? whole);
  return expanded === '~' || expanded.startsWith('~/') ? homedir() + expanded.slice(1) : expanded;
}

function checkList(value: PyValue, className: ClassName): PyValue {
  if (Array.isArray(value)) return value;
  if (isText(value)) return textOf(value).split(',');
  if (isPyInt(value) || value instanceof PyFloat) return [pyStr(value)];
  throw new TypeCheckError(`${className(value)} cannot be converted to a list`);
}

/** check_type_dict's `k1=v1, k2=v2` form: quotes group, a backslash escapes, commas and spaces split. */
function keyValueFields(text: string): PyDict {
  const fields: string[] = [];
  let buffer = '';
  let quote: string | null = null;
  let escaped = false;
  for (const c of text.trim()) {
    if (escaped) {
      buffer += c;
      escaped = false;
    } else if (c === '\\') escaped = true;
    else if (quote === null && (c === "'" || c === '"')) quote = c;
    else if (quote !== null && c === quote) quote = null;
    else if (quote === null && (c === ',' || c === ' ')) {
      if (buffer) fields.push(buffer);
      buffer = '';
    } else buffer += c;
  }
  if (buffer) fields.push(buffer);
  const out = new PyDict();
  for (const field of fields) {
    const eq = field.indexOf('=');
    // dict(x.split("=", 1) ...) on a field without '=' fails in dict()
    if (eq < 0) throw new TypeCheckError(`dictionary update sequence element #${fields.indexOf(field)} has length 1; 2 is required`);
    out.set(field.slice(0, eq), field.slice(eq + 1));
  }
  return out;
}

function jsonValue(parsed: unknown): PyValue {
  if (parsed === null || typeof parsed === 'string' || typeof parsed === 'boolean') return parsed;
  if (typeof parsed === 'number') return Number.isInteger(parsed) ? parsed : new PyFloat(parsed);
  if (Array.isArray(parsed)) return parsed.map(jsonValue);
  const out = new PyDict();
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) out.set(k, jsonValue(v));
  return out;
}

function checkDict(value: PyValue, className: ClassName): PyValue {
  if (value instanceof PyDict) return value;
  if (isText(value)) {
    const text = textOf(value);
    if (text.startsWith('{')) {
      try {
        return jsonValue(JSON.parse(text));
      } catch {
        // Ansible falls back to safe_eval of a Python literal, which fleet does not evaluate.
        throw new TypeCheckError('unable to evaluate string as dictionary');
      }
    }
    if (text.includes('=')) return keyValueFields(text);
    throw new TypeCheckError('dictionary requested, could not parse JSON or key=value');
  }
  throw new TypeCheckError(`${className(value)} cannot be converted to a dict`);
}

function checkBool(value: PyValue, className: ClassName): PyValue {
  if (typeof value === 'boolean') return value;
  if (!isText(value) && !isPyInt(value) && !(value instanceof PyFloat)) throw new TypeCheckError(`${className(value)} cannot be converted to a bool`);
  try {
    return toBool(isText(value) ? textOf(value).trim() : value);
  } catch (err) {
    throw new TypeCheckError(err instanceof Error ? err.message.replace(/^The value '[^']*'/, `The value '${pyStr(value)}'`) : String(err));
  }
}

function checkInt(value: PyValue, className: ClassName): PyValue {
  if (isPyInt(value)) return value;
  if (isText(value) && PY_INT.test(textOf(value))) {
    const digits = textOf(value).trim().replace(/_/g, '');
    const big = BigInt(digits);
    return Number.isSafeInteger(Number(big)) ? Number(big) : big;
  }
  throw new TypeCheckError(`${className(value)} cannot be converted to an int`);
}

function checkFloat(value: PyValue, className: ClassName): PyValue {
  if (value instanceof PyFloat) return value;
  if (isPyInt(value)) return new PyFloat(Number(value));
  if (isText(value) && PY_FLOAT.test(textOf(value))) {
    const text = textOf(value).trim().replace(/_/g, '').toLowerCase();
    const sign = text.startsWith('-') ? -1 : 1;
    const body = text.replace(/^[-+]/, '');
    if (body === 'inf' || body === 'infinity') return new PyFloat(sign * Infinity);
    if (body === 'nan') return new PyFloat(NaN);
    return new PyFloat(Number(text));
  }
  throw new TypeCheckError(`${className(value)} cannot be converted to a float`);
}

/** Converts `value` to `type` (a name from SPEC_TYPES; another name fails as calling Ansible's missing checker does). */
export function checkType(value: PyValue, type: string, className: ClassName): PyValue {
  switch (type) {
    case 'str':
      return checkStr(value);
    case 'path':
      return checkPath(value);
    case 'list':
      return checkList(value, className);
    case 'dict':
      return checkDict(value, className);
    case 'bool':
      return checkBool(value, className);
    case 'int':
      return checkInt(value, className);
    case 'float':
      return checkFloat(value, className);
    case 'raw':
      return value;
    default:
      throw new TypeCheckError("'NoneType' object is not callable");
  }
}

/**
 * _validate_elements: each element converted by `convert` (the checker for `type`); one that
 * does not convert is left out, with its error in Ansible's words (`where` is the
 * ` found in 'a -> b'` of a sub-option).
 */
export function convertElements(
  values: PyValue[],
  type: string,
  convert: (value: PyValue) => PyValue,
  name: string,
  where: string,
  className: ClassName,
): { converted: PyValue[]; errors: string[] } {
  const converted: PyValue[] = [];
  const errors: string[] = [];
  for (const value of values) {
    try {
      converted.push(convert(value));
    } catch (err) {
      if (!(err instanceof TypeCheckError)) throw err;
      errors.push(`Elements value for option '${name}'${where} is of type ${className(value)} and we were unable to convert to ${type}: ${err.message}`);
    }
  }
  return { converted, errors };
}
