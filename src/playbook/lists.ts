import { PyDict, type PyValue } from '../template/values.js';
import { combineVars } from '../vars/combine.js';

/** A list keyword's value as a list (`isa='list'`: absent or None is empty, a scalar is one item). */
export function asList(value: PyValue | undefined): PyValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** `tags:` as taggable.py `_load_tags` reads it: a list, or comma-separated text. */
export function tagList(value: PyValue | undefined): PyValue[] {
  if (typeof value === 'string') return value.split(',').map((tag) => tag.trim());
  return asList(value);
}

/** A `vars:` keyword: a mapping, or a list of mappings merged in order (base.py `_load_vars`). */
export function mergedVars(value: PyValue | undefined): PyDict {
  let merged = new PyDict();
  for (const layer of asList(value)) {
    if (layer instanceof PyDict) merged = combineVars(merged, layer);
  }
  return merged;
}
