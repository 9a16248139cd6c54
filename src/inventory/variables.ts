import { pyCompare } from '../template/python/index.js';
import { PyDict } from '../template/values.js';
import { combineVars } from '../vars/combine.js';
import { loadGroupVars, loadHostVars, type Warn } from '../vars/host_group_vars.js';
import { isIpAddress } from './address.js';
import type { Group, Host, Inventory } from './model.js';

export interface InventoryVarsOptions {
  /** Directories next to the inventory sources (LoadedInventory.inventoryDirs). */
  inventoryDirs: string[];
  /** Directories next to the playbook (ansible-inventory uses --playbook-dir, else the cwd). */
  playbookDirs?: string[];
  warn?: Warn;
}

/** Groups in the order their vars apply: depth, then ansible_group_priority, then name (helpers.sort_groups). */
export function sortGroups(groups: Group[]): Group[] {
  return [...groups].sort((a, b) => a.depth - b.depth || a.priority - b.priority || pyCompare(a.name, b.name));
}

/**
 * A host's variables from the inventory as VariableManager.get_vars layers them (the
 * default VARIABLE_PRECEDENCE): `all`'s inventory vars, the host's other groups' inventory
 * vars (sorted by sortGroups, deeper overriding), group_vars/all and then each group's
 * group_vars next to the inventory and then the playbook, the host's inventory vars and
 * hostMagicVars, and last host_vars next to the inventory and then the playbook.
 */
export function hostVarsFromInventory(inv: Inventory, host: Host, options: InventoryVarsOptions): PyDict {
  const playbookDirs = options.playbookDirs ?? [];
  const all = inv.groups.get('all');
  const groups = sortGroups(
    host.groups.filter((name) => name !== 'all').flatMap((name) => inv.groups.get(name) ?? []),
  );
  let result = new PyDict();
  const merge = (vars: PyDict): void => {
    result = combineVars(result, vars);
  };
  if (all) merge(all.vars);
  for (const group of groups) merge(group.vars);
  for (const dir of [...options.inventoryDirs, ...playbookDirs]) merge(loadGroupVars(dir, 'all', options.warn));
  for (const dir of options.inventoryDirs) for (const group of groups) merge(loadGroupVars(dir, group.name, options.warn));
  for (const dir of playbookDirs) for (const group of groups) merge(loadGroupVars(dir, group.name, options.warn));
  merge(host.vars);
  merge(hostMagicVars(host));
  for (const dir of [...options.inventoryDirs, ...playbookDirs]) merge(loadHostVars(dir, host.name, options.warn));
  return result;
}

/**
 * Host.get_magic_vars, which Host.get_vars puts over the host's own inventory vars (so a
 * host_vars file or a play's vars can override them): its name, the name up to the first dot
 * (the whole name for an IP address), its groups but `all`, sorted. `groups`: the host's
 * groups where the inventory is not reconciled yet.
 */
export function hostMagicVars(host: Host, groups: readonly string[] = host.groups): PyDict {
  return new PyDict([
    ['inventory_hostname', host.name],
    ['inventory_hostname_short', isIpAddress(host.name) ? host.name : (host.name.split('.')[0] as string)],
    ['group_names', groups.filter((group) => group !== 'all').sort()],
  ]);
}

/**
 * A group's own variables as `ansible-inventory --graph --vars` shows them: its inventory
 * vars, its group_vars files, and its priority when not the default.
 */
export function groupVarsFromInventory(group: Group, options: InventoryVarsOptions): PyDict {
  let result = new PyDict(group.vars);
  for (const dir of [...options.inventoryDirs, ...(options.playbookDirs ?? [])]) {
    result = combineVars(result, loadGroupVars(dir, group.name, options.warn));
  }
  if (group.priority !== 1) result.set('ansible_group_priority', group.priority);
  return result;
}
