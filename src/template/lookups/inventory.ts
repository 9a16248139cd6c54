import { InventoryBuilder } from '../../inventory/builder.js';
import { HostSelector } from '../../inventory/patterns.js';
import { FleetError } from '../../errors.js';
import { pyIterable, pyStr } from '../python/index.js';
import type { Lookup } from '../registry.js';
import { PyDict } from '../values.js';

/**
 * inventory_hostnames: the hosts a pattern selects, from an inventory rebuilt out of the
 * `groups` variable as lib/ansible/plugins/lookup/inventory_hostnames.py rebuilds it. A
 * pattern Ansible cannot evaluate gives no hosts.
 */
export const inventoryHostnames: Lookup = (env, terms) => {
  const groups = env.lookupVariable('groups');
  const builder = new InventoryBuilder();
  if (groups instanceof PyDict) {
    for (const [group, hosts] of groups) {
      const name = pyStr(group);
      builder.addGroup(name);
      for (const host of pyIterable(hosts)) builder.addHost(pyStr(host), name);
    }
  }
  try {
    return new HostSelector(builder.reconcile()).getHosts(terms.map((t) => pyStr(t))).map((h) => h.name);
  } catch (error) {
    if (error instanceof FleetError) return [];
    throw error;
  }
};
