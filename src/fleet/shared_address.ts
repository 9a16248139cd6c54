import { addressVariable } from '../executor/connection_vars.js';
import { hostsOfGroup, hostVarsFromInventory } from '../inventory/index.js';
import { PolicyError } from '../errors.js';
import { pyStr, Templar } from '../template/index.js';
import { PyDict } from '../template/values.js';
import type { FleetRunInput } from './run_input.js';

/**
 * Two wizards may share one address only with distinct homes (allegro and ezra share a
 * VPS). Homes that need facts to be known (`{{ ansible_user_dir }}`) cannot be compared
 * before contact and are left out.
 */
export function sharedAddressErrors(run: FleetRunInput, playbookDirs: string[]): PolicyError[] {
  const inventory = run.inventory.inventory;
  const byPlace = new Map<string, string>();
  const errors: PolicyError[] = [];
  for (const host of hostsOfGroup(inventory, 'wizards')) {
    const vars = hostVarsFromInventory(inventory, host, { inventoryDirs: run.inventory.inventoryDirs, playbookDirs });
    const templar = new Templar({ vars: new PyDict([...vars, ...run.extraVars, ['inventory_hostname', host.name]]) });
    let address: string;
    let home: string;
    try {
      address = pyStr(templar.template(addressVariable((name) => vars.get(name)) ?? host.name));
      home = pyStr(templar.template(vars.get('agent_home') ?? null));
    } catch {
      continue;
    }
    const place = `${address}\0${home}`;
    const other = byPlace.get(place);
    if (other !== undefined) {
      const file = pyStr(vars.get('inventory_file') ?? '<inventory>');
      errors.push(new PolicyError(`wizards ${other} and ${host.name} share address ${address} and home ${home}: wizards on one address need distinct agent_home`, { location: { file, line: 1, col: 1 } }));
    } else byPlace.set(place, host.name);
  }
  return errors;
}
