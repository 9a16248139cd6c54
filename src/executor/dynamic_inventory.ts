import { addDynamicGroup } from '../inventory/index.js';
import type { ModuleResult } from '../modules/types.js';
import type { RunContext } from './context.js';

/**
 * What the strategy does with a result that names a group (group_by's `add_group`): the
 * host joins it for the rest of the run, and whether that changed the inventory becomes
 * the result's `changed` (before changed_when, which may still override it).
 */
export function applyInventoryChange(run: RunContext, host: string, result: ModuleResult): void {
  const group = result.add_group;
  if (typeof group !== 'string') return;
  const parents = Array.isArray(result.parent_groups) ? result.parent_groups.map(String) : [];
  const change = addDynamicGroup(run.inventory, host, group, parents);
  result.changed = change.changed;
  run.inventoryChanged(change);
}
