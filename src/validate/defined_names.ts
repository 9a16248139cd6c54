import type { Inventory } from '../inventory/index.js';
import { parseKv } from '../playbook/splitter.js';
import { isTemplate } from '../playbook/validate.js';
import { PyDict, type PyValue } from '../template/values.js';

/** A loaded YAML file and what kind of content it holds. */
export interface LoadedDocument {
  file: string;
  document: PyValue;
  /** A vars file: its top-level keys are variables. */
  isVars: boolean;
}

const SET_FACT = new Set(['set_fact', 'ansible.builtin.set_fact', 'ansible.legacy.set_fact']);
const INCLUDE_VARS = new Set(['include_vars', 'ansible.builtin.include_vars', 'ansible.legacy.include_vars']);
/** getent sets the fact `getent_<database>`. */
const GETENT = new Set(['getent', 'ansible.builtin.getent', 'ansible.legacy.getent']);

function keysOf(value: PyValue | undefined, into: Set<string>): void {
  if (value instanceof PyDict) for (const key of value.keys()) into.add(String(key));
  else if (Array.isArray(value)) for (const layer of value) keysOf(layer, into);
}

/** Every mapping in a value, depth first. */
function* mappings(value: PyValue): Generator<PyDict> {
  if (value instanceof PyDict) {
    yield value;
    for (const inner of value.values()) yield* mappings(inner);
  } else if (Array.isArray(value)) for (const item of value) yield* mappings(item);
}

/** What one playbook, task or role mapping defines: vars, register, set_fact, loop variables, include_vars name, vars_prompt, role params. */
function namesOfMapping(mapping: PyDict, into: Set<string>): void {
  for (const [rawKey, value] of mapping) {
    const key = String(rawKey);
    if (key === 'vars') keysOf(value, into);
    else if (key === 'register' && typeof value === 'string') into.add(value);
    else if (SET_FACT.has(key)) {
      if (value instanceof PyDict) keysOf(value, into);
      else if (typeof value === 'string') for (const name of safeKv(value)) into.add(name);
      if (namesFromItems(value)) loopStrings(mapping, into);
    } else if (key === 'loop_control' && value instanceof PyDict) {
      for (const option of ['loop_var', 'index_var']) if (typeof value.get(option) === 'string') into.add(value.get(option) as string);
    } else if (INCLUDE_VARS.has(key) && value instanceof PyDict && typeof value.get('name') === 'string') into.add(value.get('name') as string);
    else if (GETENT.has(key)) {
      const database = value instanceof PyDict ? value.get('database') : typeof value === 'string' ? safeKvValue(value, 'database') : undefined;
      if (typeof database === 'string' && !isTemplate(database)) into.add(`getent_${database}`);
    }
    else if (key === 'vars_prompt' && Array.isArray(value)) {
      for (const prompt of value) if (prompt instanceof PyDict && typeof prompt.get('name') === 'string') into.add(prompt.get('name') as string);
    } else if (key === 'roles' && Array.isArray(value)) for (const role of value) keysOf(role instanceof PyDict ? role : undefined, into);
  }
}

/** set_fact: "{{ item }}=x" (or a templated key) names its variables after the loop's items. */
function namesFromItems(args: PyValue | undefined): boolean {
  if (typeof args === 'string') return isTemplate(args.split('=')[0] ?? '');
  return args instanceof PyDict && [...args.keys()].some((key) => isTemplate(key as PyValue));
}

/** The literal strings of a task's loop, each a name the task may define. */
function loopStrings(task: PyDict, into: Set<string>): void {
  for (const [key, items] of task) {
    if ((String(key) === 'loop' || String(key).startsWith('with_')) && Array.isArray(items)) {
      for (const item of items) if (typeof item === 'string' && !isTemplate(item)) into.add(item);
    }
  }
}

function safeKv(text: string): string[] {
  try {
    return [...parseKv(text).keys()];
  } catch {
    return [];
  }
}

function safeKvValue(text: string, name: string): PyValue | undefined {
  try {
    return parseKv(text).get(name);
  } catch {
    return undefined;
  }
}

/**
 * Every variable name the project defines somewhere: vars files, inventory host and group
 * vars, extra vars, and in playbooks and task files vars:, register, set_fact, loop_var and
 * index_var, include_vars' name, getent's getent_<database>, vars_prompt and role parameters. Deliberately generous:
 * a name defined for one host or play counts as defined everywhere.
 */
export function definedNames(documents: LoadedDocument[], inventories: Inventory[], extraVars: PyDict): Set<string> {
  const names = new Set<string>();
  for (const { document, isVars } of documents) {
    if (isVars) keysOf(document, names);
    for (const mapping of mappings(document)) namesOfMapping(mapping, names);
  }
  for (const inventory of inventories) {
    for (const host of inventory.hosts.values()) keysOf(host.vars, names);
    for (const group of inventory.groups.values()) keysOf(group.vars, names);
  }
  keysOf(extraVars, names);
  return names;
}
