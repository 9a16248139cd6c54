import { pyStr } from '../template/python/index.js';
import { PyDict, PyFloat, PyUnsafe, type PyValue } from '../template/values.js';
import { checkType, convertElements, TypeCheckError } from './argspec_types.js';
import type { Invocation } from './invocation.js';

/**
 * Ansible's module argument_spec, declared the way Ansible modules declare it, so arguments
 * are coerced and rejected with Ansible's own rules and words
 * (lib/ansible/module_utils/common/parameters.py, validation.py).
 */
export type ArgType = 'str' | 'bool' | 'int' | 'float' | 'path' | 'list' | 'dict' | 'raw';

export interface ArgOption {
  type?: ArgType;
  required?: boolean;
  default?: PyValue;
  aliases?: readonly string[];
  choices?: readonly PyValue[];
  /** For `list`: the type of each element. */
  elements?: ArgType;
  /** Secret values (no_log in Ansible's spec): masked in output and history. */
  noLog?: boolean;
}

export interface ArgSpec {
  options: Record<string, ArgOption>;
  mutuallyExclusive?: readonly (readonly string[])[];
  requiredOneOf?: readonly (readonly string[])[];
  /** [key, value, requirements, anyOf?]: when key == value, the requirements must be set. */
  requiredIf?: readonly (readonly [string, PyValue, readonly string[], boolean?])[];
  requiredTogether?: readonly (readonly string[])[];
  /** key: requirements. When key is set, each requirement must be set too (required_by). */
  requiredBy?: Readonly<Record<string, readonly string[]>>;
  /** Keys outside `options` pass through untouched (set_fact: every other key is a variable). */
  allowExtra?: boolean;
  /**
   * `options` are an action plugin's `_VALID_ARGS` (debug, fail, assert, group_by): another
   * key fails in ActionBase.run, with its message, before anything else is looked at.
   */
  actionValidArgs?: boolean;
}

/** Arguments after validation: every option present (null when unset and no default). */
export type Args = Map<string, PyValue>;

export class ArgumentError extends Error {
  /** The module's `invocation` as far as validation got (set where the task's arguments are known). */
  invocation?: Invocation;
  /** The result's `exception` text, where Ansible's failure carries one. */
  exception?: string;
}

const TRUE_STRINGS = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE_STRINGS = new Set(['n', 'no', 'off', '0', 'false', 'f']);

export function toBool(value: PyValue): boolean {
  if (typeof value === 'boolean') return value;
  const key = value instanceof PyFloat ? String(value.value) : typeof value === 'number' ? String(value) : typeof value === 'string' ? value.toLowerCase() : null;
  if (key !== null && TRUE_STRINGS.has(key)) return true;
  if (key !== null && FALSE_STRINGS.has(key)) return false;
  throw new ArgumentError(
    `The value '${pyStr(value)}' is not a valid boolean.  Valid booleans include: 0, 'off', 'on', 1, 'f', 't', 'false', 'y', 'n', 'true', 'no', 'yes'`,
  );
}

/** `type(value)`'s name as the module sees it: arguments reach it as JSON. */
function typeName(value: PyValue): string {
  if (typeof value === 'string' || value instanceof PyUnsafe) return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number' || typeof value === 'bigint') return 'int';
  if (value instanceof PyFloat) return 'float';
  if (Array.isArray(value)) return 'list';
  if (value instanceof PyDict) return 'dict';
  return 'NoneType';
}

const className = (value: PyValue): string => `<class '${typeName(value)}'>`;

/**
 * check_type_path expands `~` and `$VARS` where the module runs: fleet's modules expand path
 * options on the host (expand.ts), so here a path converts as the str it is written as.
 */
const convertedAs = (type: ArgType): string => (type === 'path' ? 'str' : type);

/**
 * A converted value in the form fleet's modules take it: text as a plain string (the module
 * gets JSON), and an int Python keeps as a bool or a big int as the number the module uses.
 */
function forModule(value: PyValue, type: ArgType): PyValue {
  if (value instanceof PyUnsafe && (type === 'str' || type === 'path')) return value.value;
  if (type === 'int' && (typeof value === 'boolean' || typeof value === 'bigint')) return Number(value);
  return value;
}

/**
 * _validate_argument_types for one option, with Ansible's type checkers (argspec_types.ts):
 * the converted value, or the value Ansible's validator leaves with the first error it records
 * (the value as written when it does not convert; the list without the elements that do not).
 */
function convertOption(name: string, option: ArgOption, value: PyValue): { value: PyValue; error?: string } {
  const type = option.type ?? 'str';
  let converted: PyValue;
  try {
    converted = forModule(checkType(value, convertedAs(type), className), type);
  } catch (err) {
    if (!(err instanceof TypeCheckError)) throw err;
    return { value, error: `argument '${name}' is of type ${className(value)} and we were unable to convert to ${type}: ${err.message}` };
  }
  const elements = option.elements;
  if (elements === undefined || !Array.isArray(converted)) return { value: converted };
  const convert = (item: PyValue) => forModule(checkType(item, convertedAs(elements), className), elements);
  const checked = convertElements(converted, elements, convert, name, '', className);
  return { value: checked.converted, error: checked.errors[0] };
}

/** A spec's options as validation walks them, with each name and alias mapped to its option. */
interface SpecIndex {
  options: [string, ArgOption][];
  canonical: Map<string, string>;
}

// Validation runs for every task on every host; a spec (a module's constant) is indexed once.
const specIndexes = new WeakMap<ArgSpec, SpecIndex>();

function specIndex(spec: ArgSpec): SpecIndex {
  let index = specIndexes.get(spec);
  if (!index) {
    const options = Object.entries(spec.options);
    const canonical = new Map<string, string>();
    for (const [name, option] of options) {
      canonical.set(name, name);
      for (const alias of option.aliases ?? []) canonical.set(alias, name);
    }
    index = { options, canonical };
    specIndexes.set(spec, index);
  }
  return index;
}

/**
 * The arguments as Ansible's validator leaves them when it reports an error: it goes on
 * past the first one, so every option has its default and is converted where it can be;
 * a value it cannot convert stays as written.
 */
export function lenientArgs(spec: ArgSpec, raw: PyDict): Args {
  const { options, canonical } = specIndex(spec);
  const given = new Map<string, PyValue>();
  for (const [key, value] of raw) {
    const name = canonical.get(String(key));
    if (name !== undefined) given.set(name, value);
  }
  const args: Args = new Map();
  for (const [name, option] of options) {
    const value = given.has(name) ? (given.get(name) as PyValue) : (option.default ?? null);
    args.set(name, value === null ? null : convertOption(name, option, value).value);
  }
  return args;
}

function isSet(args: Args, name: string): boolean {
  const value = args.get(name);
  return value !== null && value !== undefined;
}

/**
 * Validates raw task arguments against a spec. `moduleName` is used in messages exactly
 * as Ansible words them. Keys starting with `_ansible_` are ignored.
 */
export function validateArgs(spec: ArgSpec, raw: PyDict, moduleName: string): Args {
  const { options, canonical } = specIndex(spec);
  const unsupported: string[] = [];
  const extra = new Map<string, PyValue>();
  const given = new Map<string, PyValue>();
  for (const [key, value] of raw) {
    const name = canonical.get(String(key));
    if (name === undefined) {
      if (spec.allowExtra) extra.set(String(key), value);
      else if (!String(key).startsWith('_ansible_')) unsupported.push(String(key));
      continue;
    }
    given.set(name, value);
  }
  if (unsupported.length > 0 && spec.actionValidArgs) {
    const error = new ArgumentError(`Invalid options for ${moduleName}: ${unsupported.join(',')}`);
    // AnsibleActionFail raised outside an except clause: the traceback Ansible records is this.
    error.exception = 'NoneType: None\n';
    throw error;
  }
  if (unsupported.length > 0) {
    // ansible-core 2.14 lists the option names, then every alias in one parenthesis at the end.
    const aliases = Object.values(spec.options).flatMap((option) => option.aliases ?? []).sort();
    const supported = Object.keys(spec.options).sort().join(', ') + (aliases.length > 0 ? ` (${aliases.join(', ')})` : '');
    throw new ArgumentError(
      `Unsupported parameters for (${moduleName}) module: ${unsupported.sort().join(', ')}. Supported parameters include: ${supported}.`,
    );
  }
  for (const group of spec.mutuallyExclusive ?? []) {
    // check_mutually_exclusive counts the keys given, null ones too (it runs before any default is set).
    const present = group.filter((name) => given.has(name));
    if (present.length > 1) throw new ArgumentError(`parameters are mutually exclusive: ${group.join('|')}`);
  }
  const missing = options
    .filter(([name, option]) => option.required && (!given.has(name) || given.get(name) === null))
    .map(([name]) => name);
  if (missing.length > 0) throw new ArgumentError(`missing required arguments: ${missing.sort().join(', ')}`);

  // Ansible converts every option before it checks any option's choices.
  const args: Args = new Map();
  for (const [name, option] of options) {
    const value = given.has(name) ? (given.get(name) as PyValue) : (option.default ?? null);
    const converted = value === null ? { value } : convertOption(name, option, value);
    if (converted.error !== undefined) throw new ArgumentError(converted.error);
    args.set(name, converted.value);
  }
  for (const [name, option] of options) {
    const value = args.get(name) as PyValue;
    if (value === null || !option.choices || option.choices.some((choice) => choice === value)) continue;
    throw new ArgumentError(`value of ${name} must be one of: ${option.choices.map((c) => pyStr(c)).join(', ')}, got: ${pyStr(value)}`);
  }
  for (const group of spec.requiredOneOf ?? []) {
    if (!group.some((name) => isSet(args, name))) throw new ArgumentError(`one of the following is required: ${group.join(', ')}`);
  }
  for (const group of spec.requiredTogether ?? []) {
    // count_terms: a key given, even as null, or one with a default (_set_defaults(pre=True) added it).
    const present = group.filter((name) => given.has(name) || (spec.options[name]?.default ?? null) !== null);
    if (present.length > 0 && present.length < group.length) throw new ArgumentError(`parameters are required together: ${group.join(', ')}`);
  }
  for (const [key, value] of extra) args.set(key, value);
  for (const [key, value, requirements, anyOf] of spec.requiredIf ?? []) {
    if (args.get(key) !== value) continue;
    const missingReqs = requirements.filter((name) => !isSet(args, name));
    if (anyOf ? missingReqs.length === requirements.length : missingReqs.length > 0) {
      throw new ArgumentError(
        `${key} is ${pyStr(value)} but ${anyOf ? 'any' : 'all'} of the following are missing: ${missingReqs.join(', ')}`,
      );
    }
  }
  for (const [key, requirements] of Object.entries(spec.requiredBy ?? {})) {
    if (!isSet(args, key)) continue;
    const missingReqs = requirements.filter((name) => !isSet(args, name));
    if (missingReqs.length > 0) throw new ArgumentError(`missing parameter(s) required by '${key}': ${missingReqs.join(', ')}`);
  }
  return args;
}
