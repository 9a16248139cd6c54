import { PyDict, type PyValue } from '../../template/values.js';
import type { ArgSpec } from '../argspec.js';
import type { ModuleDef, ModuleResult } from '../types.js';
import { variableName } from './set_fact.js';
import { looseBool } from './controller-args.js';

const spec: ArgSpec = { options: { data: { type: 'raw' }, per_host: { type: 'raw' }, aggregate: { type: 'raw' } }, actionValidArgs: true };

/**
 * plugins/action/set_stats.py: returns the stats under `ansible_stats` (`per_host` false and
 * `aggregate` true unless given); the strategy adds them to the run's custom stats
 * (executor/custom_stats.ts), which show_custom_stats prints after the recap.
 */
export const setStats: ModuleDef = {
  name: 'set_stats',
  spec,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args, ctx): Promise<ModuleResult> {
    const given = args.get('data') ?? new PyDict();
    if (!(given instanceof PyDict)) return { failed: true, msg: "The 'data' option needs to be a dictionary/hash" };
    const data = new PyDict();
    for (const [rawKey, value] of given) {
      const key = variableName(rawKey, ctx);
      if (typeof key !== 'string') return key;
      data.set(key, value as PyValue);
    }
    const option = (name: string, fallback: boolean): boolean => {
      const value = args.get(name);
      return value === undefined || value === null ? fallback : typeof value === 'boolean' ? value : looseBool(value);
    };
    const stats = new PyDict([
      ['data', data],
      ['per_host', option('per_host', false)],
      ['aggregate', option('aggregate', true)],
    ]);
    return { changed: false, ansible_stats: stats };
  },
};
