import type { Command } from 'commander';
import { collect } from './options.js';
import { addVaultFlags, type VaultFlags } from './vault_flags.js';

export interface RollbackFlags extends VaultFlags {
  inventory: string[];
  limit: string;
  to?: string;
  check?: boolean;
  list?: boolean;
}

export function registerRollbackCommand(program: Command): void {
  const command = program
    .command('rollback')
    .description("Restore wizards' last-known-good (or a named) config snapshot through their deadman, show the diff, restart the agent")
    .requiredOption('-l, --limit <pattern>', 'the wizards to roll back (all or * is refused: name them)')
    .option('--to <snapshot>', 'the snapshot to restore (default the latest; see --list)')
    .option('-C, --check', 'show the diff and change nothing')
    .option('--list', "list each wizard's snapshots and change nothing")
    .option('-i, --inventory <source>', 'inventory (repeatable; default inventory/hosts.yml)', collect, []);
  addVaultFlags(command).action(async (flags: RollbackFlags) => (await import('./actions/rollback.js')).rollbackAction(flags));
}
