import { addDynamicGroup, addDynamicHost, type DynamicHost, type InventoryChange } from '../inventory/index.js';
import type { ModuleResult } from '../modules/types.js';
import { PyDict } from '../template/values.js';
import type { RunContext } from './context.js';

/** add_host's `add_host`: {host_name, groups, host_vars}. */
function dynamicHost(info: PyDict): DynamicHost {
  const groups = info.get('groups');
  const hostVars = info.get('host_vars');
  return {
    hostName: String(info.get('host_name')),
    groups: Array.isArray(groups) ? groups.map(String) : [],
    hostVars: hostVars instanceof PyDict ? hostVars : new PyDict(),
  };
}

function changeOf(run: RunContext, host: string, result: ModuleResult): InventoryChange | null {
  if (result.add_host instanceof PyDict) return addDynamicHost(run.inventory, dynamicHost(result.add_host));
  if (typeof result.add_group !== 'string') return null;
  const parents = Array.isArray(result.parent_groups) ? result.parent_groups.map(String) : [];
  return addDynamicGroup(run.inventory, host, result.add_group, parents);
}

/**
 * What the strategy does with a result that adds a host (add_host's `add_host`) or names a
 * group for the host (group_by's `add_group`): the inventory changes for the rest of the
 * run, and whether it did becomes the result's `changed` (before changed_when, which may
 * still override it).
 */
export function applyInventoryChange(run: RunContext, host: string, result: ModuleResult): void {
  const change = changeOf(run, host, result);
  if (!change) return;
  result.changed = change.changed;
  run.inventoryChanged(change);
}
