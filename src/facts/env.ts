import { PyDict } from '../template/values.js';
import type { FactFamily } from './family.js';

/**
 * module_utils/facts/system/env.py: the environment. Names come from `env`, values are read
 * from the shell itself, so values with newlines or odd bytes arrive intact.
 */
export const envFacts: FactFamily = {
  name: 'env',
  collector: 'env',
  // GNU env -0 gives everything in one NUL-separated blob (one process, no probe first);
  // where env has no -0 (BSD: it fails before printing anything) one record per variable.
  command: `fleet_env0_ok=''
fleet_env0() { env -0 && fleet_env0_ok=1; }
fleet_emit_output nul_separated fleet_env0
if [ -z "$fleet_env0_ok" ]; then
for fleet_name in $(env | sed -n 's/^\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/\\1/p' | sort -u); do
  fleet_set=''
  eval "fleet_set=\\\${$fleet_name+x}"
  [ "$fleet_set" = x ] || continue
  eval "fleet_emit \\"var.$fleet_name\\" \\"\\\$$fleet_name\\""
done
fi`,
  parse(output) {
    const env = new PyDict();
    if (![...output.keys()].some((key) => key.startsWith('var.'))) {
      const pairs = (output.get('nul_separated')?.[0] ?? '').split('\0').filter((pair) => pair.includes('='));
      for (const pair of pairs) env.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      return { env };
    }
    const names = [...output.keys()].filter((key) => key.startsWith('var.')).sort();
    for (const key of names) env.set(key.slice(4), output.get(key)?.[0] ?? '');
    return { env };
  },
};
