import { pyEquals } from '../template/python/compare.js';
import type { PyDict } from '../template/values.js';
import { setVariable } from '../vars/combine.js';
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

export interface DynamicHost {
  hostName: string;
  /** Groups the host joins directly (made when missing). */
  groups: string[];
  /** Variables set on the host, over those it has. */
  hostVars: PyDict;
}

/**
 * Adds a host to the inventory at run time, or updates one (InventoryManager.add_dynamic_host,
 * which applies add_host's result): a new host joins `all`; `changed` when the host, a
 * variable's value, a group or a direct membership is new.
 */
export function addDynamicHost(inventory: Inventory, { hostName, groups, hostVars }: DynamicHost): InventoryChange {
  const builder = new InventoryBuilder(inventory);
  let changed = false;
  if (!inventory.hosts.has(hostName)) {
    builder.addHost(hostName, 'all');
    changed = true;
  }
  const host = inventory.hosts.get(hostName);
  for (const [key, value] of hostVars) {
    if (!host) continue;
    const before = host.vars.get(key);
    // Host.set_variable: merged into a dict it already has under hash_behaviour=merge.
    setVariable(host.vars, key, value);
    if (before === undefined || !pyEquals(before, host.vars.get(key) ?? null)) changed = true;
  }
  for (const group of groups) {
    if (!inventory.groups.has(group)) {
      builder.addGroup(group);
      changed = true;
    }
    if (inventory.groups.get(group)?.hosts.includes(hostName)) continue;
    builder.addHost(hostName, group);
    changed = true;
  }
  if (changed) builder.reconcile();
  return { changed, warnings: builder.warnings };
}
