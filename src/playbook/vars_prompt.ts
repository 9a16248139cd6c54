import { pyStr } from '../template/python/index.js';
import { PyDict, type PyValue } from '../template/values.js';
import { pythonTypeName, reject, unavailable, type Where } from './problems.js';

/** The keys a vars_prompt entry may have (Play._load_vars_prompt). */
const ENTRY_KEYS = new Set(['name', 'prompt', 'default', 'private', 'confirm', 'encrypt', 'salt_size', 'salt', 'unsafe']);

/** A play's `vars_prompt` as a list of entries: one mapping or a list of them (preprocess_vars). */
export function varsPromptEntries(value: PyValue | undefined): PyDict[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((entry): entry is PyDict => entry instanceof PyDict);
}

/** Play._load_vars_prompt's checks, at load: every entry a mapping with a `name` and only the keys it knows. */
export function checkVarsPrompt(value: PyValue | undefined, where: Where): void {
  if (value === undefined || value === null) return;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((entry) => entry instanceof PyDict)) {
    unavailable(`variable files must contain either a dictionary of variables, or a list of dictionaries. Got: ${pyStr(value)} (${pythonTypeName(value)})`, where);
  }
  for (const entry of list as PyDict[]) {
    if (!entry.has('name')) reject("Invalid vars_prompt data structure, missing 'name' key", where);
    for (const key of entry.keys()) if (!ENTRY_KEYS.has(String(key))) reject(`Invalid vars_prompt data structure, found unsupported key '${String(key)}'`, where);
  }
}
