import type { Command } from 'commander';
import { collect } from './options.js';

export interface ValidateFlags {
  inventory: string[];
  extraVars: string[];
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Check everything that needs no host (YAML, inventory, playbooks, module arguments, templates, undefined variables, fleet policy); every problem as file:line:col')
    .argument('[paths...]', 'files or directories (default: the project in the current directory)')
    .option('-i, --inventory <source>', 'an inventory to check besides the project\'s inventory/ (repeatable)', collect, [])
    .option('-e, --extra-vars <vars>', 'variables the run will be given (key=value, YAML/JSON, @file; repeatable)', collect, [])
    .action(async (paths: string[], flags: ValidateFlags) => (await import('./actions/validate.js')).validateAction(paths, flags));
}
