import { PyDict, PyUnsafe, type PyKey, type PyValue } from '../../template/values.js';
import type { ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { isIdentifier } from '../../vars/identifier.js';
import { looseBool } from './controller-args.js';

/**
 * plugins/action/set_fact.py. Every argument except `cacheable` is a variable to set, so the
 * spec names only `cacheable` and lets the other keys through.
 */
const spec: ArgSpec = { options: { cacheable: { type: 'raw', default: false } }, allowExtra: true };

/**
 * A templated key of set_fact or set_stats as the variable name it sets (loop items arrive as
 * !unsafe text; a name is its text), or the actions' failure for a name that is no identifier.
 */
export function variableName(rawKey: PyKey, ctx: ModuleContext): string | ModuleResult {
  const templated = ctx.templar.template(rawKey);
  const key = templated instanceof PyUnsafe ? templated.value : templated;
  if (typeof key === 'string' && isIdentifier(key)) return key;
  return {
    failed: true,
    msg: `The variable name '${String(key)}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`,
  };
}

export const setFact: ModuleDef = {
  name: 'set_fact',
  spec,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args, ctx): Promise<ModuleResult> {
    const facts = new PyDict();
    for (const [rawKey, value] of args) {
      if (rawKey === 'cacheable') continue;
      const key = variableName(rawKey, ctx);
      if (typeof key !== 'string') return key;
      // Without jinja2_native, the strings true/false/yes/no become booleans.
      facts.set(key, typeof value === 'string' && ['true', 'false', 'yes', 'no'].includes(value.toLowerCase()) ? looseBool(value) : (value as PyValue));
    }
    if (facts.size === 0) return { failed: true, msg: 'No key/value pairs provided, at least one is required for this action to succeed' };
    return { ansible_facts: facts, _ansible_facts_cacheable: looseBool(args.get('cacheable')), changed: false };
  },
};
