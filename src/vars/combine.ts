import { FleetError } from '../errors.js';
import { jsonDumps } from '../template/filters/json.js';
import { pyEquals } from '../template/python/compare.js';
import { pyTypeName } from '../template/python/str.js';
import { PyDict, type PyKey, type PyValue } from '../template/values.js';

/** DEFAULT_HASH_BEHAVIOUR's choices, in base.yml's order. */
export const HASH_BEHAVIOURS = ['replace', 'merge'] as const;
export type HashBehaviour = (typeof HASH_BEHAVIOURS)[number];

// Ansible reads C.DEFAULT_HASH_BEHAVIOUR wherever it combines variables, for the whole
// process; fleet sets it once from ansible.cfg/ANSIBLE_HASH_BEHAVIOUR before loading anything.
let configured: HashBehaviour = 'replace';

export function useHashBehaviour(behaviour: HashBehaviour): void {
  configured = behaviour;
}

/** Whether dict variables defined in several places are deep-merged (hash_behaviour=merge). */
export function mergesHashes(): boolean {
  return configured === 'merge';
}

/** utils/vars.py _validate_mutable_mappings's failure. */
export class CombineVarsError extends FleetError {}

function requireDicts(a: PyValue | undefined, b: PyValue | undefined): asserts a is PyDict {
  if (a instanceof PyDict && b instanceof PyDict) return;
  const x = a ?? null;
  const y = b ?? null;
  throw new CombineVarsError(
    `failed to combine variables, expected dicts but got a '${pyTypeName(x)}' and a '${pyTypeName(y)}': \n${jsonDumps(x)}\n${jsonDumps(y)}`,
  );
}

/**
 * utils/vars.py merge_hash (list_merge='replace'): a new dict with y merged into x, nested
 * dicts merged recursively, anything else replaced; x's keys first, then y's new ones.
 */
export function mergeHash(x: PyDict, y: PyDict): PyDict {
  // merge_hash's shortcut: an empty or equal x gives a copy of y (and so y's key order).
  if (x.size === 0 || pyEquals(x, y)) return new PyDict(y);
  const out = new PyDict(x);
  for (const [key, value] of y) {
    const previous = out.get(key);
    out.set(key, previous instanceof PyDict && value instanceof PyDict ? mergeHash(previous, value) : value);
  }
  return out;
}

/**
 * utils/vars.py combine_vars: b over a, deep-merged under hash_behaviour=merge (or when
 * `merge` says so), else a shallow update. Both must be dicts.
 */
export function combineVars(a: PyValue | undefined, b: PyValue | undefined, merge: boolean = mergesHashes()): PyDict {
  requireDicts(a, b);
  const dict = b as PyDict;
  if (merge) return mergeHash(a, dict);
  const out = new PyDict(a);
  for (const [key, value] of dict) out.set(key, value);
  return out;
}

/**
 * Group/Host.set_variable and VariableManager.set_host_variable: a dict given for a name
 * that holds a dict is combined with it (merged under hash_behaviour=merge); anything else
 * is set.
 */
export function setVariable(vars: PyDict, key: PyKey, value: PyValue): void {
  const previous = vars.get(key);
  vars.set(key, mergesHashes() && previous instanceof PyDict && value instanceof PyDict ? mergeHash(previous, value) : value);
}
