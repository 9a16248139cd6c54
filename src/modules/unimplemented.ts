import { pyEquals } from '../template/python/compare.js';
import type { PyDict, PyValue } from '../template/values.js';
import type { Args } from './argspec.js';
import type { ModuleDef } from './types.js';

export function unimplementedMessage(def: ModuleDef, name: string): string {
  return `fleet's ${def.name} module does not implement the '${name}' option yet (ansible-playbook's does); leave it out or run this task with ansible-playbook`;
}

/**
 * The key (name or alias) of the first option of `def.unimplementedOptions` a task's written
 * arguments give with a value other than the option's default. `undecided` says whether a
 * value is only known later (a template): those are left to unimplementedInArgs at run time.
 */
export function unimplementedGiven(def: ModuleDef, given: PyDict, undecided: (value: PyValue) => boolean): string | null {
  for (const name of def.unimplementedOptions ?? []) {
    const option = def.spec.options[name];
    for (const key of [name, ...(option?.aliases ?? [])]) {
      if (!given.has(key)) continue;
      const value = given.get(key) as PyValue;
      if (undecided(value)) continue;
      if (value === null || (option?.default !== undefined && pyEquals(value, option.default))) continue;
      return key;
    }
  }
  return null;
}

/** The same check on validated arguments (defaults filled in), for arguments that were templates. */
export function unimplementedInArgs(def: ModuleDef, args: Args): string | null {
  for (const name of def.unimplementedOptions ?? []) {
    const value = args.get(name) ?? null;
    const fallback = def.spec.options[name]?.default ?? null;
    if (value !== null && !pyEquals(value, fallback)) return name;
  }
  return null;
}
