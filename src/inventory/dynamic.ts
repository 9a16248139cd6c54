import { InventoryBuilder } from './builder.js';
import { hostsOfGroup, type Inventory } from './model.js';

export interface InventoryChange {
  changed: boolean;
  /** Warnings the change raised (invalid group names…), as loading would have raised them. */
  warnings: string[];
}

/**
 * Puts a host in a group at run time, making the group and any missing parent group first
 * (InventoryManager.add_dynamic_group, which applies group_by's result). `changed` as Ansible
 * reports it: a new parent group, a new parent edge or a new member; a changed inventory is
 * reconciled again (parentless groups join `all`, grouped hosts leave `ungrouped`).
 */
export function addDynamicGroup(inventory: Inventory, hostName: string, groupName: string, parentNames: string[]): InventoryChange {
  const builder = new InventoryBuilder(inventory);
  let changed = false;
  builder.addGroup(groupName);
  for (const parent of parentNames) {
    if (inventory.groups.has(parent)) continue;
    builder.addGroup(parent);
    changed = true;
  }
  for (const parent of parentNames) {
    if (inventory.groups.get(parent)?.children.includes(groupName)) continue;
    builder.addChild(parent, groupName);
    changed = true;
  }
  const group = inventory.groups.get(groupName);
  if (group && !hostsOfGroup(inventory, groupName).some((host) => host.name === hostName)) {
    // By name, not builder.addHost: the implicit localhost joins groups without joining `all`.
    group.hosts.push(hostName);
    changed = true;
  }
  if (changed) builder.reconcile();
  return { changed, warnings: builder.warnings };
}
