import type { Command } from 'commander';
import { colorEnabled } from '../output/colors.js';
import { rollback, type RollbackStatus } from '../rollback/rollback.js';
import { applyOptionsFrom } from './apply.js';
import { EXIT } from './main.js';
import { collect } from './options.js';
import { addVaultFlags, type VaultFlags } from './vault_flags.js';

interface RollbackFlags extends VaultFlags {
  inventory: string[];
  limit: string;
  to?: string;
  check?: boolean;
  list?: boolean;
}

// A function, not a constant: main.ts imports this file, so EXIT is not initialised while it loads.
const exitCodeOf = (status: RollbackStatus): number => ({ ok: EXIT.ok, failed: EXIT.error, unreachable: EXIT.unreachable })[status];

export function registerRollbackCommand(program: Command): void {
  const command = program
    .command('rollback')
    .description("Restore wizards' last-known-good (or a named) config snapshot through their deadman, show the diff, restart the agent")
    .requiredOption('-l, --limit <pattern>', 'the wizards to roll back (all or * is refused: name them)')
    .option('--to <snapshot>', 'the snapshot to restore (default the latest; see --list)')
    .option('-C, --check', 'show the diff and change nothing')
    .option('--list', "list each wizard's snapshots and change nothing")
    .option('-i, --inventory <source>', 'inventory (repeatable; default inventory/hosts.yml)', collect, []);
  addVaultFlags(command).action(async (flags: RollbackFlags) => {
    const warn = (message: string) => process.stderr.write(`[WARNING]: ${message}\n`);
    const options = applyOptionsFrom([], { ...flags, tags: [], skipTags: [], extraVars: [], verbose: 0 }, process.env, process.cwd(), warn);
    const status = await rollback(
      options,
      { limit: flags.limit, check: flags.check === true, list: flags.list === true, ...(flags.to !== undefined ? { to: flags.to } : {}) },
      { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text), color: colorEnabled(process.stdout, process.env) },
    );
    process.exitCode = exitCodeOf(status);
  });
}
