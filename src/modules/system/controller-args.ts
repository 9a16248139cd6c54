import { PyDict, type PyValue } from '../../template/values.js';
import { toBool, type Args } from '../argspec.js';
import type { ModuleContext } from '../types.js';

/** Ansible's `-v` count as the `ansible_verbosity` magic variable carries it. */
export function verbosity(ctx: ModuleContext): number {
  const value = ctx.vars.get('ansible_verbosity');
  return typeof value === 'number' ? value : 0;
}

/** Whether an option was given at all (Ansible's `'x' in self._task.args`). */
export function given(args: Args, name: string): boolean {
  return args.has(name) && args.get(name) !== null;
}

/** `boolean(value, strict=False)`: unknown strings are False instead of an error. */
export function looseBool(value: PyValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  try {
    return toBool(value);
  } catch {
    return false;
  }
}

export function isMapping(value: PyValue | undefined): value is PyDict {
  return value instanceof PyDict;
}
