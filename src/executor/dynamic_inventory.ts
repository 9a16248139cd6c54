import { addDynamicGroup, addDynamicHost, getHost, type DynamicHost, type Inventory, type InventoryChange } from '../inventory/index.js';
import type { SourceLocation } from '../errors.js';
import { enforceAddedHostPolicy } from '../fleet/runtime_policy.js';
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

type Replay = (inventory: Inventory) => InventoryChange;

/**
 * The run's add_host and group_by results, each as a change that can be applied to an
 * inventory again (InventoryManager's _cached_dynamic_hosts and _cached_dynamic_grouping).
 */
const appliedChanges = new WeakMap<RunContext, { hosts: Replay[]; groupings: Replay[] }>();

function replayOf(host: string, result: ModuleResult): { kind: 'hosts' | 'groupings'; replay: Replay; added?: DynamicHost } | null {
  if (result.add_host instanceof PyDict) {
    const added = dynamicHost(result.add_host);
    return { kind: 'hosts', replay: (inventory) => addDynamicHost(inventory, added), added };
  }
  if (typeof result.add_group !== 'string') return null;
  const group = result.add_group;
  const parents = Array.isArray(result.parent_groups) ? result.parent_groups.map(String) : [];
  // A host a refresh took out of the inventory is grouped no more (add_dynamic_group's `refresh`).
  return { kind: 'groupings', replay: (inventory) => (getHost(inventory, host) ? addDynamicGroup(inventory, host, group, parents) : { changed: false, warnings: [] }) };
}

/**
 * What the strategy does with a result that adds a host (add_host's `add_host`) or names a
 * group for the host (group_by's `add_group`): the inventory changes for the rest of the
 * run, and whether it did becomes the result's `changed` (before changed_when, which may
 * still override it). A host the banned-provider policy refuses is never added: the run
 * stops with the task at `at` named.
 */
export function applyInventoryChange(run: RunContext, host: string, result: ModuleResult, at: SourceLocation): void {
  const change = replayOf(host, result);
  if (!change) return;
  if (change.added && run.policy) enforceAddedHostPolicy(run.policy, change.added, at);
  const applied = appliedChanges.get(run) ?? { hosts: [], groupings: [] };
  appliedChanges.set(run, applied);
  applied[change.kind].push(change.replay);
  const outcome = change.replay(run.inventory);
  result.changed = outcome.changed;
  run.inventoryChanged(outcome);
}

/** After refresh_inventory parsed the sources again: every add_host, then every group_by, of the run so far, in the order they ran. */
export function reapplyInventoryChanges(run: RunContext): InventoryChange[] {
  const applied = appliedChanges.get(run);
  if (!applied) return [];
  return [...applied.hosts, ...applied.groupings].map((replay) => replay(run.inventory));
}
