import type { Command } from 'commander';
import { collect } from './options.js';
import { addVaultFlags, type VaultFlags } from './vault_flags.js';

export interface AuditFlags extends VaultFlags {
  inventory: string[];
  limit?: string;
  extraVars: string[];
  forks?: string;
  json?: boolean;
}

export function registerAuditCommand(program: Command): void {
  const command = program
    .command('audit')
    .description('Report drift, identity problems, banned providers and unmanaged cron entries on live hosts (read-only)')
    .argument('[playbooks...]', 'playbooks whose check-mode converge defines drift (default playbooks/site.yml)')
    .option('-i, --inventory <source>', 'inventory file, directory or host list (repeatable; default inventory/hosts.yml)', collect, [])
    .option('-l, --limit <pattern>', 'further limit selected hosts to a pattern')
    .option('-e, --extra-vars <vars>', 'set additional variables as key=value, YAML/JSON, or @file (repeatable)', collect, [])
    .option('-f, --forks <n>', 'number of hosts to audit in parallel (default 16)')
    .option('--json', 'print the findings as JSON');
  addVaultFlags(command).action(async (playbooks: string[], flags: AuditFlags) => (await import('./actions/audit.js')).auditAction(playbooks, flags));
}
