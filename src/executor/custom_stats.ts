import { mergeHash } from '../template/filters/ansible_collections.js';
import { pyAdd, pyTypeName } from '../template/python/index.js';
import { PyDict, type PyValue } from '../template/values.js';
import { RUN_STATS } from '../output/events.js';
import type { AggregateStats } from './stats.js';


/**
 * StrategyBase._process_pending_results for a result's `ansible_stats`: its data, when not
 * empty, goes to each of `hosts` (per_host) or to the run's, aggregated or set.
 */
export function addCustomStats(stats: AggregateStats, result: PyValue | undefined, hosts: () => string[]): void {
  if (!(result instanceof PyDict)) return;
  const data = result.get('data');
  if (!(data instanceof PyDict) || data.size === 0) return;
  const perHost = result.has('per_host') ? result.get('per_host') === true : true;
  const aggregate = result.get('aggregate') === true;
  for (const host of perHost ? hosts() : [RUN_STATS]) {
    for (const [key, value] of data) {
      if (typeof key !== 'string') continue;
      const own = stats.custom.get(host) ?? new PyDict();
      stats.custom.set(host, own);
      const before = own.get(key);
      if (!aggregate || before === undefined) own.set(key, value);
      else {
        const after = aggregated(before, value);
        if (after !== undefined) own.set(key, after);
      }
    }
  }
}

/** AggregateStats.update_custom_stats: dicts merged, other values added with `+=`; a value whose type does not match is dropped. */
function aggregated(before: PyValue, value: PyValue): PyValue | undefined {
  if (!isInstanceOfTypeOf(value, before)) return undefined;
  if (before instanceof PyDict) return mergeHash(before, value, true, 'replace');
  try {
    return pyAdd(before, value);
  } catch {
    return undefined;
  }
}

/** isinstance(value, type(before)): the same type, or a subclass of it (bool of int, unsafe text of str). */
function isInstanceOfTypeOf(value: PyValue, before: PyValue): boolean {
  const [was, is] = [pyTypeName(before), pyTypeName(value)];
  return was === is || (was === 'int' && is === 'bool') || (was === 'str' && is === 'AnsibleUnsafeText');
}
