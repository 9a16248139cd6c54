import { pyTypeName } from '../template/python/str.js';
import { PyDict, type PyValue } from '../template/values.js';

/** A TypeError or AttributeError an inventory plugin's Python would raise; its text is what Ansible shows. */
export class PythonError extends Error {}

/** What `for name in value` visits: a list's items, a mapping's keys, a string's characters. */
export function iterate(value: PyValue): PyValue[] {
  if (Array.isArray(value)) return value;
  if (value instanceof PyDict) return [...value.keys()];
  if (typeof value === 'string') return [...value];
  throw new PythonError(`'${pyTypeName(value)}' object is not iterable`);
}
