import type { Command } from 'commander';
import type { InventoryCommandOptions } from './actions/inventory.js';
import { collect } from './options.js';
import { addVaultFlags } from './vault_flags.js';

/** `fleet inventory`: prints what `ansible-inventory` prints for the same sources (src/cli/actions/inventory.ts). */
export function registerInventoryCommand(program: Command): void {
  const command = program
    .command('inventory')
    .description('Show the inventory as Ansible sees it (like ansible-inventory)')
    .argument('[pattern]', 'group to start the --graph at')
    .option('-i, --inventory <source>', 'inventory file, directory or host list (repeatable)', collect, [])
    .option('--list', 'all groups and hosts with their variables, as JSON')
    .option('--host <name>', "one host's variables")
    .option('--graph', 'the group tree')
    .option('-y, --yaml', 'YAML instead of JSON (ignored for --graph)')
    .option('-e, --extra-vars <vars>', 'extra variables: key=value, YAML/JSON, or @file (repeatable)', collect, [])
    .option('--vars', 'add variables to the --graph')
    .option('--export', 'with --list, write group vars on the groups and only own vars on the hosts')
    .option('--output <file>', 'write the result to a file instead of the screen')
    .option('--playbook-dir <dir>', "directory whose group_vars/host_vars also apply (default: the current directory)");
  // Vaulted inventory files decrypt with the passwords ansible-inventory takes (its flags, then ansible.cfg).
  addVaultFlags(command).action(async (pattern: string | undefined, opts: Omit<InventoryCommandOptions, 'pattern'>) => (await import('./actions/inventory.js')).inventoryAction({ ...opts, pattern }));
}
