import type { Command } from 'commander';
import { formatProblem, validateProject } from '../validate/index.js';
import { EXIT } from './main.js';
import { collect } from './options.js';

interface ValidateFlags {
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
    .action((paths: string[], flags: ValidateFlags) => {
      const cwd = process.cwd();
      const started = performance.now();
      const result = validateProject({ paths, cwd, inventory: flags.inventory, extraVars: flags.extraVars, env: process.env });
      for (const problem of result.problems) process.stdout.write(`${formatProblem(problem, cwd)}\n`);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if (result.problems.length > 0) {
        process.stderr.write(`${result.problems.length} problem(s) in ${result.files} files (${seconds} s)\n`);
        process.exitCode = EXIT.error;
      } else {
        process.stdout.write(`ok: ${result.files} files valid (${seconds} s)\n`);
      }
    });
}
