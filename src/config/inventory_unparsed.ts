import type { UnparsedPolicy } from '../inventory/sources.js';
import type { ResolvedConfig } from './ansible_cfg.js';
import { configBool } from './config_bool.js';

/** INVENTORY_UNPARSED_WARNING, INVENTORY_UNPARSED_IS_FAILED and INVENTORY_ANY_UNPARSED_IS_FAILED, with base.yml's defaults. */
export function unparsedPolicyFrom(config: ResolvedConfig): UnparsedPolicy {
  return {
    warn: configBool(config.get('inventoryUnparsedWarning'), true),
    noneParsedFails: configBool(config.get('inventoryUnparsedFailed'), false),
    anyUnparsedFails: configBool(config.get('inventoryAnyUnparsedFailed'), false),
  };
}
