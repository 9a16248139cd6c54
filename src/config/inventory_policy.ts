import type { InventoryPolicy } from '../inventory/sources.js';
import type { ResolvedConfig } from './ansible_cfg.js';
import { configBool } from './config_bool.js';

/**
 * INVENTORY_UNPARSED_WARNING, INVENTORY_UNPARSED_IS_FAILED, INVENTORY_ANY_UNPARSED_IS_FAILED and
 * the script inventory plugin's always_show_stderr, with their defaults.
 */
export function inventoryPolicyFrom(config: ResolvedConfig): InventoryPolicy {
  return {
    warn: configBool(config.get('inventoryUnparsedWarning'), true),
    noneParsedFails: configBool(config.get('inventoryUnparsedFailed'), false),
    anyUnparsedFails: configBool(config.get('inventoryAnyUnparsedFailed'), false),
    showScriptStderr: configBool(config.get('inventoryScriptStderr'), true),
  };
}
