import type { Command } from 'commander';
import { registerApplyCommand } from './apply.js';
import { registerAuditCommand } from './audit.js';
import { registerHistoryCommand } from './history.js';
import { registerInventoryCommand } from './inventory.js';
import { registerKeeperCommand } from './keeper.js';
import { registerPullCommand } from './pull.js';
import { registerTelemetryCommand } from './telemetry.js';
import { registerRenderCommand } from './render.js';
import { registerRollbackCommand } from './rollback.js';
import { registerValidateCommand } from './validate.js';
import { registerVaultCommand } from './vault.js';
import { registerWebhookCommand } from './webhook.js';

/** Every CLI command registers itself on the program; one line per command file. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerApplyCommand,
  registerAuditCommand,
  registerHistoryCommand,
  registerInventoryCommand,
  registerKeeperCommand,
  registerPullCommand,
  registerTelemetryCommand,
  registerRenderCommand,
  registerRollbackCommand,
  registerValidateCommand,
  registerVaultCommand,
  registerWebhookCommand,
];
