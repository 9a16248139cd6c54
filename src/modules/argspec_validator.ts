import { pyEquals } from '../template/python/compare.js';
import { pyStr } from '../template/python/index.js';
import { PyDict, PyFloat, PyUnsafe, type PyValue } from '../template/values.js';
import { checkType, convertElements, TypeCheckError, type ClassName } from './argspec_types.js';

export type { ClassName };

/**
 * Ansible's ArgumentSpecValidator.validate (module_utils/common/arg_spec.py) for a spec written
 * in YAML, as validate_argument_spec and role argument_specs use it: every check runs and
 * every error is kept, in Ansible's order and words. Top-level groups (mutually_exclusive…)
 * are not given there, so only an option's own groups for its sub-options are checked.
 */

interface Walk {
  errors: string[];
  className: ClassName;
  /** Unsupported keys (a path joined with dots), each with the options and aliases supported where it was. */
  unsupported: Map<string, { options: string[]; aliases: string[] }>;
}

type Context = readonly string[];

function attr(option: PyValue | undefined, key: string): PyValue | undefined {
  return option instanceof PyDict ? option.get(key) : undefined;
}

function optionsOf(spec: PyDict): [string, PyDict][] {
  return [...spec].map(([key, option]) => [String(key), option instanceof PyDict ? option : new PyDict()]);
}

const has = (parameters: PyDict, key: string): boolean => parameters.has(key);
const given = (parameters: PyDict, key: string): boolean => parameters.has(key) && parameters.get(key) !== null;
const foundIn = (msg: string, context: Context): string => (context.length > 0 ? `${msg} found in ${context.join(' -> ')}` : msg);
const list = (value: PyValue | undefined): PyValue[] => (Array.isArray(value) ? value : []);
/** validation.py count_terms: a term that is not a list is one term. */
const terms = (value: PyValue): string[] => (Array.isArray(value) ? value.map((term) => pyStr(term)) : [pyStr(value)]);
const countTerms = (value: PyValue, parameters: PyDict): number => terms(value).filter((term) => has(parameters, term)).length;

/** _handle_aliases: copies each alias's value to its option; returns alias → option. */
function handleAliases(spec: PyDict, parameters: PyDict, walk: Walk): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const [name, option] of optionsOf(spec)) {
    const defaultValue = attr(option, 'default') ?? null;
    if (defaultValue !== null && attr(option, 'required') === true) {
      walk.errors.push(`internal error: required and default are mutually exclusive for ${name}`);
      // the exception leaves the caller without any alias map
      return new Map();
    }
    const names = attr(option, 'aliases');
    if (names === undefined || names === null) continue;
    if (!Array.isArray(names)) {
      walk.errors.push('internal error: aliases must be a list or tuple');
      return new Map();
    }
    for (const alias of names.map((each) => pyStr(each))) {
      aliases.set(alias, name);
      if (parameters.has(alias)) parameters.set(name, parameters.get(alias) as PyValue);
    }
  }
  return aliases;
}

/** The class's own name, as `__class__.__name__` gives it. */
const shortClass = (value: PyValue, className: ClassName): string => className(value).replace(/^<class '(.*)'>$/, '$1').split('.').pop() ?? '';

/**
 * _list_no_log_values: it walks every dict (or list of dicts) option with `options`, at any
 * depth, and raises at the first element that is not a mapping (a string must parse as one).
 */
function subParameterError(spec: PyDict, parameters: PyDict, className: ClassName): string | null {
  for (const [name, option] of optionsOf(spec)) {
    const subSpec = attr(option, 'options');
    const value = parameters.get(name);
    if (subSpec === undefined || subSpec === null || value === undefined || value === null) continue;
    const type = typeOf(option, null);
    if (type !== 'dict' && !(type === 'list' && attr(option, 'elements') === 'dict')) continue;
    for (let element of Array.isArray(value) ? value : [value]) {
      if (typeof element === 'string' || element instanceof PyUnsafe) {
        try {
          element = checkType(element, 'dict', className);
        } catch (err) {
          if (err instanceof TypeCheckError) return err.message;
          throw err;
        }
      }
      if (!(element instanceof PyDict)) {
        return `Value '${pyStr(element)}' in the sub parameter field '${name}' must by a ${type}, not '${shortClass(element, className)}'`;
      }
      const inner = subSpec instanceof PyDict ? subParameterError(subSpec, element, className) : null;
      if (inner !== null) return inner;
    }
  }
  return null;
}

function noteUnsupported(spec: PyDict, parameters: PyDict, aliases: Map<string, string>, context: Context, walk: Walk): void {
  const legal = new Set([...aliases.keys(), ...[...spec.keys()].map(String)]);
  for (const key of parameters.keys()) {
    if (legal.has(String(key))) continue;
    walk.unsupported.set([...context, String(key)].join('.'), {
      options: [...legal].filter((name) => !aliases.has(name)),
      aliases: [...aliases.keys()],
    });
  }
}

function checkMutuallyExclusive(groups: PyValue | undefined, parameters: PyDict, context: Context): string | null {
  const hits = list(groups).filter((group) => countTerms(group, parameters) > 1);
  if (hits.length === 0) return null;
  return foundIn(`parameters are mutually exclusive: ${hits.map((group) => terms(group).join('|')).join(', ')}`, context);
}

function checkRequired(spec: PyDict, parameters: PyDict, context: Context): string | null {
  const missing = optionsOf(spec)
    .filter(([name, option]) => attr(option, 'required') === true && !has(parameters, name))
    .map(([name]) => name)
    .sort();
  return missing.length > 0 ? foundIn(`missing required arguments: ${missing.join(', ')}`, context) : null;
}

function checkRequiredTogether(groups: PyValue | undefined, parameters: PyDict, context: Context): string | null {
  for (const group of list(groups)) {
    const counts = terms(group).map((term) => countTerms(term, parameters));
    if (counts.some((count) => count > 0) && counts.includes(0)) return foundIn(`parameters are required together: ${terms(group).join(', ')}`, context);
  }
  return null;
}

function checkRequiredOneOf(groups: PyValue | undefined, parameters: PyDict, context: Context): string | null {
  const group = list(groups).find((each) => countTerms(each, parameters) === 0);
  return group === undefined ? null : foundIn(`one of the following is required: ${terms(group).join(', ')}`, context);
}

function checkRequiredIf(requirements: PyValue | undefined, parameters: PyDict, context: Context): string | null {
  for (const requirement of list(requirements)) {
    if (!Array.isArray(requirement)) continue;
    const [key, value, needed, anyOf] = requirement as [PyValue, PyValue, PyValue, PyValue?];
    const name = pyStr(key);
    if (!has(parameters, name) || !pyEquals(parameters.get(name) as PyValue, value)) continue;
    const missing = terms(needed).filter((term) => countTerms(term, parameters) === 0);
    const oneOf = anyOf === true;
    if (missing.length > 0 && missing.length >= (oneOf ? terms(needed).length : 0)) {
      return foundIn(`${name} is ${pyStr(value)} but ${oneOf ? 'any' : 'all'} of the following are missing: ${missing.join(', ')}`, context);
    }
  }
  return null;
}

function checkRequiredBy(requirements: PyValue | undefined, parameters: PyDict, context: Context): string | null {
  if (!(requirements instanceof PyDict)) return null;
  for (const [key, needed] of requirements) {
    if (!given(parameters, String(key))) continue;
    const missing = terms(needed).filter((term) => !given(parameters, term));
    if (missing.length > 0) return foundIn(`missing parameter(s) required by '${String(key)}': ${missing.join(', ')}`, context);
  }
  return null;
}

/** _set_defaults: an option's default where it is not given (with `all`, None for those without one). */
function setDefaults(spec: PyDict, parameters: PyDict, all: boolean): void {
  for (const [name, option] of optionsOf(spec)) {
    const defaultValue = attr(option, 'default') ?? null;
    if (!parameters.has(name) && (defaultValue !== null || all)) parameters.set(name, defaultValue);
  }
}

/** An option's `type`: `str` when none is given (`null` where Ansible reads the key as it is). */
function typeOf(option: PyDict, unset: string | null = 'str'): string | null {
  const type = attr(option, 'type');
  return type === undefined || type === null ? unset : pyStr(type);
}

/** Python iterates a str by characters and a dict by keys; anything else but a list cannot be. */
function iterate(value: PyValue, className: ClassName): PyValue[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return Array.from(value);
  if (value instanceof PyDict) return [...value.keys()] as PyValue[];
  throw new TypeCheckError(`'${shortClass(value, className)}' object is not iterable`);
}

function validateElements(type: string, name: string, values: PyValue[], context: Context, walk: Walk): PyValue[] {
  const where = context.length > 0 ? ` found in '${context.join(' -> ')}'` : '';
  const { converted, errors } = convertElements(values, type, (value) => checkType(value, type, walk.className), name, where, walk.className);
  walk.errors.push(...errors);
  return converted;
}

function validateTypes(spec: PyDict, parameters: PyDict, context: Context, walk: Walk): void {
  for (const [name, option] of optionsOf(spec)) {
    const value = parameters.get(name);
    if (value === undefined || value === null) continue;
    const type = typeOf(option) as string;
    try {
      parameters.set(name, checkType(value, type, walk.className));
      const elements = attr(option, 'elements');
      if (elements === undefined || elements === null) continue;
      const converted = parameters.get(name) as PyValue;
      if (type !== 'list' || !Array.isArray(converted)) {
        const where = context.length > 0 ? ` found in '${context.join(' -> ')}'.` : '';
        walk.errors.push(`Invalid type ${type} for option '${pyStr(converted)}'${where}, elements value check is supported only with 'list' type`);
      }
      parameters.set(name, validateElements(pyStr(elements), name, iterate(converted, walk.className), context, walk));
    } catch (err) {
      if (!(err instanceof TypeCheckError)) throw err;
      const where = context.length > 0 ? ` found in '${context.join(' -> ')}'.` : '';
      walk.errors.push(`argument '${name}' is of type ${walk.className(value)}${where} and we were unable to convert to ${type}: ${err.message}`);
    }
  }
}

// module_utils/parsing/convert_bool.py
const BOOLEANS_TRUE: PyValue[] = ['y', 'yes', 'on', '1', 'true', 't', 1, new PyFloat(1), true];
const BOOLEANS_FALSE: PyValue[] = ['n', 'no', 'off', '0', 'false', 'f', 0, new PyFloat(0), false];

/** PyYAML turned a choice's `yes` into True: "True" matches the one boolean choice, if only one. */
function unambiguousBoolean(booleans: PyValue[], choices: PyValue[]): PyValue | undefined {
  const overlap = choices.filter((choice) => booleans.some((b) => pyEquals(b, choice)));
  const distinct = overlap.filter((choice, index) => overlap.findIndex((other) => pyEquals(other, choice)) === index);
  return distinct.length === 1 ? distinct[0] : undefined;
}

function validateValues(spec: PyDict, parameters: PyDict, context: Context, walk: Walk): void {
  for (const [name, option] of optionsOf(spec)) {
    const choices = attr(option, 'choices');
    if (choices === undefined || choices === null) continue;
    if (!Array.isArray(choices)) {
      walk.errors.push(foundIn(`internal error: choices for argument ${name} are not iterable: ${pyStr(choices)}`, context));
      continue;
    }
    if (!parameters.has(name)) continue;
    const inChoices = (value: PyValue) => choices.some((choice) => pyEquals(choice, value));
    const value = parameters.get(name) as PyValue;
    const choicesText = choices.map((choice) => pyStr(choice)).join(', ');
    if (Array.isArray(value)) {
      const unmatched = value.filter((item) => !inChoices(item));
      if (unmatched.length > 0) {
        walk.errors.push(foundIn(`value of ${name} must be one or more of: ${choicesText}. Got no match for: ${unmatched.map((item) => pyStr(item)).join(', ')}`, context));
      }
      continue;
    }
    if (inChoices(value)) continue;
    const fixed = value === 'False' ? unambiguousBoolean(BOOLEANS_FALSE, choices) : value === 'True' ? unambiguousBoolean(BOOLEANS_TRUE, choices) : undefined;
    if (fixed !== undefined) {
      parameters.set(name, fixed);
      continue;
    }
    walk.errors.push(foundIn(`value of ${name} must be one of: ${choicesText}, got: ${pyStr(value)}`, context));
  }
}

/** The checks of parameters.py `_ADDITIONAL_CHECKS`, with the groups `holder` declares. */
function additionalChecks(holder: PyDict | null, parameters: PyDict, context: Context, walk: Walk): void {
  const group = (key: string) => (holder === null ? undefined : holder.get(key));
  for (const error of [
    checkRequiredTogether(group('required_together'), parameters, context),
    checkRequiredOneOf(group('required_one_of'), parameters, context),
    checkRequiredIf(group('required_if'), parameters, context),
    checkRequiredBy(group('required_by'), parameters, context),
  ]) {
    if (error !== null) walk.errors.push(error);
  }
}

/** One level of checks: the top level (no groups), or one dict of an option's sub-options. */
function validateLevel(spec: PyDict, parameters: PyDict, holder: PyDict | null, context: Context, walk: Walk): void {
  const aliases = handleAliases(spec, parameters, walk);
  const subParameters = subParameterError(spec, parameters, walk.className);
  if (subParameters !== null) walk.errors.push(subParameters);
  noteUnsupported(spec, parameters, aliases, context, walk);
  const exclusive = checkMutuallyExclusive(holder?.get('mutually_exclusive'), parameters, context);
  if (exclusive !== null) walk.errors.push(exclusive);
  setDefaults(spec, parameters, false);
  const required = checkRequired(spec, parameters, context);
  if (required !== null) walk.errors.push(required);
  validateTypes(spec, parameters, context, walk);
  validateValues(spec, parameters, context, walk);
  additionalChecks(holder, parameters, context, walk);
  setDefaults(spec, parameters, true);
}

/** _validate_sub_spec: each dict (or list of dicts) option with `options`, depth first. */
function validateSubSpecs(spec: PyDict, parameters: PyDict, context: Context, walk: Walk): void {
  for (const [name, option] of optionsOf(spec)) {
    const type = typeOf(option);
    if (type !== 'dict' && !(type === 'list' && attr(option, 'elements') === 'dict')) continue;
    const subSpec = attr(option, 'options');
    if (attr(option, 'apply_defaults') === true) {
      if (!(subSpec instanceof PyDict)) continue;
      if (parameters.get(name) === undefined || parameters.get(name) === null) parameters.set(name, new PyDict());
    } else if (!(subSpec instanceof PyDict) || !given(parameters, name)) continue;
    const value = parameters.get(name) as PyValue;
    const inner = [...context, name];
    const elements = Array.isArray(value) ? value : [value];
    for (const element of elements) {
      if (!(element instanceof PyDict)) {
        walk.errors.push(`value of '${name}' must be of type dict or list of dicts`);
        continue;
      }
      validateLevel(subSpec as PyDict, element, option, inner, walk);
      validateSubSpecs(subSpec as PyDict, element, inner, walk);
    }
  }
}

/** The error messages of validating `parameters` (copied, not changed) against `spec`. */
export function argumentSpecErrors(spec: PyDict, parameters: PyDict, className: ClassName): string[] {
  const walk: Walk = { errors: [], className, unsupported: new Map() };
  const copy = deepCopy(parameters) as PyDict;
  validateLevel(spec, copy, null, [], walk);
  validateSubSpecs(spec, copy, [], walk);
  if (walk.unsupported.size > 0) {
    const names = [...walk.unsupported.keys()].sort();
    // Ansible lists what is supported where the last unsupported key it iterated was.
    const last = [...walk.unsupported.values()].pop() as { options: string[]; aliases: string[] };
    const aliases = last.aliases.length > 0 ? ` (${[...last.aliases].sort().join(', ')})` : '';
    walk.errors.push(`${names.join(', ')}. Supported parameters include: ${[...last.options].sort().join(', ')}${aliases}.`);
  }
  return walk.errors;
}

function deepCopy(value: PyValue): PyValue {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (value instanceof PyDict) return new PyDict([...value].map(([k, v]) => [k, deepCopy(v)]));
  return value;
}
