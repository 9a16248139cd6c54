import { PyDict } from '../template/values.js';
import type { Args, ArgSpec } from './argspec.js';
import { expandUser } from './files/paths.js';
import type { ModuleContext, ModuleDef } from './types.js';

/** What remove_values puts in place of a no_log option's value (module_utils/common/parameters.py). */
export const NO_LOG_PLACEHOLDER = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER';

/** A module result's `invocation`: the parameters the module ran with. */
export interface Invocation {
  module_args: PyDict;
}

/**
 * AnsibleModule.params as _return_formatted reports them (module_utils/basic.py): the keys
 * the task gave, an alias keeping the value as written (only the canonical name is
 * converted), then every other option with its default; no_log options' values masked.
 * `actionOnly` names options an action plugin reads and removes before running its module.
 */
export function paramsInvocation(spec: ArgSpec, given: PyDict, args: Args, actionOnly: readonly string[] = []): Invocation {
  const canonicalOf = new Map<string, string>();
  const secret = new Set<string>();
  for (const [name, option] of Object.entries(spec.options)) {
    for (const key of [name, ...(option.aliases ?? [])]) {
      canonicalOf.set(key, name);
      if (option.noLog) secret.add(key);
    }
  }
  const params = new PyDict();
  for (const [key, value] of given) {
    const name = String(key);
    if (name.startsWith('_ansible_')) continue;
    const canonical = canonicalOf.get(name);
    params.set(name, canonical === name ? (args.get(name) ?? null) : value);
  }
  for (const [name, value] of args) if (!params.has(name)) params.set(name, value);
  for (const name of actionOnly) params.delete(name);
  for (const [key, value] of params) {
    if (secret.has(String(key)) && value !== null) params.set(key, NO_LOG_PLACEHOLDER);
  }
  return { module_args: params };
}

/** The given arguments without `names` (an action plugin passing the rest on to its module). */
export function withoutArgs(given: PyDict, names: readonly string[]): PyDict {
  return new PyDict([...given].filter(([key]) => !names.includes(String(key))));
}

/**
 * The `invocation` a module's result carries (ModuleDef.invocation), or null for none. With
 * the host known, `path` options show `~` expanded, as the module's type conversion does there.
 */
export function invocationFor(def: ModuleDef, given: PyDict, args: Args, host?: Pick<ModuleContext, 'userland'>): Invocation | null {
  if (def.invocation === false || def.controllerOnly) return null;
  const converted = host ? withExpandedPaths(def.spec, args, host) : args;
  return def.invocation ? def.invocation(given, converted) : paramsInvocation(def.spec, given, converted);
}

function withExpandedPaths(spec: ArgSpec, args: Args, host: Pick<ModuleContext, 'userland'>): Args {
  const out: Args = new Map(args);
  for (const [name, option] of Object.entries(spec.options)) {
    const value = args.get(name);
    if (option.type === 'path' && typeof value === 'string') out.set(name, expandUser(value, host));
  }
  return out;
}
