import type { Command } from 'commander';
import { registerApplyCommand } from './apply.js';
import { registerInventoryCommand } from './inventory.js';
import { registerWebhookCommand } from './webhook.js';

/** Every CLI command registers itself on the program; one line per command file. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerApplyCommand,
  registerInventoryCommand,
  registerWebhookCommand,
];
