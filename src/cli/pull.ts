import type { Command } from 'commander';
import { DEFAULT_PULL_PLAYBOOK } from '../pull/default_playbook.js';
import { collect, collectList, increase } from './options.js';

export interface PullFlags {
  url: string;
  checkout?: string;
  directory?: string;
  inventory: string[];
  limit?: string;
  onlyIfChanged?: boolean;
  clean?: boolean;
  sleep?: string;
  check?: boolean;
  diff?: boolean;
  tags: string[];
  skipTags: string[];
  extraVars: string[];
  verbose: number;
  json?: boolean;
}

/** Flags as ansible-pull spells them (-U, -C, -d, -o, -s), so its cron lines carry over. */
export function registerPullCommand(program: Command): void {
  program
    .command('pull')
    .description('Update a checkout of the fleet repository and apply it to this machine (like ansible-pull)')
    .argument('[playbooks...]', `playbooks in the checkout (default ${DEFAULT_PULL_PLAYBOOK})`)
    .requiredOption('-U, --url <url>', 'URL of the playbook repository')
    .option('-C, --checkout <ref>', "branch, tag or commit to check out (default the repository's default branch)")
    .option('-d, --directory <dir>', 'where the checkout lives (default ~/.fleet/pull/<hostname>)')
    .option('-i, --inventory <source>', 'inventory in the checkout (repeatable; default inventory/hosts.yml there, else localhost,)', collect, [])
    .option('-l, --limit <pattern>', "hosts of the inventory that are this machine (default ansible-pull's: localhost and this machine's names)")
    .option('-o, --only-if-changed', 'only run the playbook if the checkout moved to a commit not yet applied successfully')
    .option('--clean', 'discard modified files in the checkout')
    .option('-s, --sleep <seconds>', 'sleep for a random interval between 0 and this many seconds before starting')
    .option('--check', "don't make any changes; predict some of the changes that may occur")
    .option('--diff', 'show the differences in files and templates that change')
    .option('-t, --tags <tags>', 'only run plays and tasks tagged with these values', collectList, [])
    .option('--skip-tags <tags>', 'only run plays and tasks whose tags do not match these values', collectList, [])
    .option('-e, --extra-vars <vars>', 'set additional variables as key=value, YAML/JSON, or @file (repeatable)', collect, [])
    .option('-v, --verbose', 'more output (repeat for more)', increase, 0)
    .option('--json', 'print a machine-readable JSON report instead of text')
    .action(async (playbooks: string[], flags: PullFlags) => (await import('./actions/pull.js')).pullAction(playbooks, flags));
}
