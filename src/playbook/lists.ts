import type { PyValue } from '../template/values.js';

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
