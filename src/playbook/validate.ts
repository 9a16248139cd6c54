import { PyDict, PyFloat, type PyValue } from '../template/values.js';
import type { KeywordType } from './keywords.js';
import { LOOP_CONTROL_KEYWORDS } from './keywords.js';
import { keyWhere, pythonTypeName, reject, valueWhere, type Where } from './problems.js';

/**
 * Static checks of keyword values. Ansible converts most keywords when the task runs
 * (`post_validate`); fleet checks every value that is not a template up front, so a value
 * Ansible would fail on mid-run is refused before any host is contacted.
 */

/** templar.is_template: text holding a Jinja2 expression, statement or comment. */
export function isTemplate(value: PyValue): boolean {
  return typeof value === 'string' && /\{\{|\{%|\{#/.test(value);
}

// module_utils/parsing/convert_bool.py BOOLEANS_TRUE / BOOLEANS_FALSE
const BOOLEAN_TEXT = new Set(['y', 'yes', 'on', '1', 'true', 't', 'n', 'no', 'off', '0', 'false', 'f']);

/** module_utils/parsing/convert_bool.py `boolean(value, strict=True)`, or null when not a boolean. */
export function asBoolean(value: PyValue): boolean | null {
  if (!isBoolean(value)) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1;
  if (value instanceof PyFloat) return value.value === 1;
  return ['y', 'yes', 'on', '1', 'true', 't'].includes(String(value).toLowerCase());
}

function isBoolean(value: PyValue): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'number') return value === 0 || value === 1;
  if (value instanceof PyFloat) return value.value === 0 || value.value === 1;
  return typeof value === 'string' && BOOLEAN_TEXT.has(value.toLowerCase());
}

/** What `int()` takes for an isa='int' field (base.py): a number (a float is truncated) or integer text. */
function isInteger(value: PyValue): boolean {
  if (typeof value === 'number' || typeof value === 'bigint') return true;
  if (value instanceof PyFloat) return Number.isFinite(value.value);
  return typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value);
}

function isNumber(value: PyValue): boolean {
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof PyFloat) return true;
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
}

function isScalar(value: PyValue): boolean {
  return value === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof value) || value instanceof PyFloat;
}

function show(value: PyValue): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof PyDict) return 'a mapping';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof PyFloat) return String(value.value);
  return String(value);
}

/** Checks one keyword value against its type; `owner` is Ansible's class name (Task, Play…). */
export function checkKeyword(key: string, type: KeywordType, mapping: PyDict, owner: string, where: Where): void {
  const value = mapping.get(key) ?? null;
  const at = valueWhere(mapping, key, where);
  switch (key) {
    case 'vars':
      return checkVars(value, owner, at);
    case 'tags':
      return checkTags(value, at);
    case 'loop_control':
      return checkLoopControl(value, at);
    case 'serial':
      return checkSerial(value, at);
    case 'hosts':
      return checkHosts(value, at);
    case 'when':
    case 'changed_when':
    case 'failed_when':
    case 'until':
      return checkConditions(key, value, at);
    default:
  }
  if (isTemplate(value)) return;
  switch (type) {
    case 'bool':
      if (!isBoolean(value)) reject(`'${key}' must be a boolean (yes/no/true/false), got ${show(value)}`, at);
      return;
    case 'int':
      if (!isInteger(value)) reject(`'${key}' must be an integer, got ${show(value)}`, at);
      return;
    case 'float':
      if (!isNumber(value)) reject(`'${key}' must be a number, got ${show(value)}`, at);
      return;
    case 'percent':
      if (!isNumber(typeof value === 'string' ? value.replace('%', '') : value)) {
        reject(`'${key}' must be a number or a percentage, got ${show(value)}`, at);
      }
      return;
    case 'string':
      // base.py `validate`, at load time
      if (value instanceof PyDict || Array.isArray(value)) {
        reject(`The field '${key}' is supposed to be a string type, however the incoming data structure is a ${pythonTypeName(value)}`, at);
      }
      if (!isScalar(value)) reject(`'${key}' must be a string, got ${show(value)}`, at);
      return;
    default:
  }
}

function checkVars(value: PyValue, owner: string, where: Where): void {
  const layers = value === null ? [] : Array.isArray(value) ? value : [value];
  if (!(value === null || value instanceof PyDict || Array.isArray(value)) || !layers.every((v) => v instanceof PyDict)) {
    reject(`Vars in a ${owner} must be specified as a dictionary, or a list of dictionaries`, where);
  }
  for (const layer of layers as PyDict[]) {
    for (const name of layer.keys()) {
      if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        reject(`Invalid variable name in vars specified for ${owner}: '${String(name)}' is not a valid variable name`, keyWhere(layer, String(name), where));
      }
    }
  }
}

function checkTags(value: PyValue, where: Where): void {
  if (typeof value === 'string') return;
  if (!Array.isArray(value)) reject('tags must be specified as a list', where);
  value.forEach((tag, index) => {
    if (typeof tag !== 'string' && typeof tag !== 'number' && typeof tag !== 'bigint') {
      reject(`the field 'tags' should be a list of strings or integers, but the item ${show(tag)} is not`, { ...where, path: `${where.path}[${index}]` });
    }
  });
}

function checkLoopControl(value: PyValue, where: Where): void {
  if (!(value instanceof PyDict)) {
    reject(
      'the `loop_control` value must be specified as a dictionary and cannot be a variable itself (though it can contain variables)',
      where,
    );
  }
  for (const key of value.keys()) {
    const name = String(key);
    const type = LOOP_CONTROL_KEYWORDS.get(name);
    if (type === undefined) reject(`'${name}' is not a valid attribute for a LoopControl`, keyWhere(value, name, where));
    checkKeyword(name, type, value, 'LoopControl', where);
  }
}

function checkSerial(value: PyValue, where: Where): void {
  const batches = Array.isArray(value) ? value : [value];
  for (const batch of batches) {
    if (isTemplate(batch) || isInteger(batch)) continue;
    if (typeof batch === 'string' && /^\s*\d+(\.\d+)?%\s*$/.test(batch)) continue;
    reject(`'serial' must be an integer, a percentage or a list of them, got ${show(batch)}`, where);
  }
}

/** play.py `_validate_hosts`. */
function checkHosts(value: PyValue, where: Where): void {
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
    reject('Hosts list cannot be empty. Please check your playbook', where);
  }
  if (Array.isArray(value)) {
    for (const entry of value) {
      if (entry === null) reject("Hosts list cannot contain values of 'None'. Please check your playbook", where);
      if (typeof entry !== 'string') reject(`Hosts list contains an invalid host value: '${show(entry)}'`, where);
    }
  } else if (typeof value !== 'string') {
    reject('Hosts list must be a sequence or string. Please check your playbook.', where);
  }
}

/** Conditionals are expressions (strings), booleans, or lists of them. */
function checkConditions(key: string, value: PyValue, where: Where): void {
  const items = Array.isArray(value) ? value : [value];
  items.forEach((item, index) => {
    if (item === null || ['string', 'boolean', 'number', 'bigint'].includes(typeof item)) return;
    reject(`'${key}' must be a condition (a string or boolean) or a list of them, got ${show(item)}`, Array.isArray(value) ? { ...where, path: `${where.path}[${index}]` } : where);
  });
}

/** Every key of `mapping` must be a keyword of `table`; `owner` names Ansible's class in the message. */
export function checkKeywords(
  mapping: PyDict,
  table: ReadonlyMap<string, KeywordType>,
  owner: string,
  where: Where,
  skip: ReadonlySet<string> = new Set(),
): void {
  // base.py `load_data`: every key is checked to be an attribute before any value is checked
  const keys = [...mapping.keys()].map(String).filter((key) => !skip.has(key));
  for (const key of keys) {
    if (!table.has(key)) reject(`'${key}' is not a valid attribute for a ${owner}`, keyWhere(mapping, key, where));
  }
  for (const key of keys) checkKeyword(key, table.get(key) ?? 'any', mapping, owner, where);
}
