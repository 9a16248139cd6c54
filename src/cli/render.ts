import type { Command } from 'commander';
import { collect } from './options.js';
import { addVaultFlags, type VaultFlags } from './vault_flags.js';

export interface RenderFlags extends VaultFlags {
  inventory: string[];
  limit?: string;
  extraVars: string[];
  json?: boolean;
}

export function registerRenderCommand(program: Command): void {
  const command = program
    .command('render')
    .description('Print the exact shell each task would send to each host (secrets masked); nothing on the hosts changes')
    .argument('[playbooks...]', 'playbook files (default playbooks/site.yml)')
    .option('-i, --inventory <source>', 'inventory file, directory or host list (repeatable; default inventory/hosts.yml)', collect, [])
    .option('-l, --limit <pattern>', 'further limit selected hosts to a pattern')
    .option('-e, --extra-vars <vars>', 'set additional variables as key=value, YAML/JSON, or @file (repeatable)', collect, [])
    .option('--json', 'print the scripts as JSON');
  addVaultFlags(command).action(async (playbooks: string[], flags: RenderFlags) => (await import('./actions/render.js')).renderAction(playbooks, flags));
}
