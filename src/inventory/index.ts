/** Inventory: sources → host/group model, inventory variables, host patterns. */
export { InventoryUnparsedError, loadInventory, unparsedReason, type LoadedInventory, type InventoryPolicy } from './sources.js';
export { type InventoryNotice } from './builder.js';
export { getHost, hostNamed, hostsOfGroup, LOCALHOST_NAMES, type Group, type Host, type Inventory } from './model.js';
export { addDynamicGroup, addDynamicHost, type DynamicHost, type InventoryChange } from './dynamic.js';
export { HostSelector, splitHostPattern, NO_HOSTS_TO_TARGET } from './patterns.js';
export { hostVarsFromInventory, groupVarsFromInventory, sortGroups, type InventoryVarsOptions } from './variables.js';
