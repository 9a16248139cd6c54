import type { Command } from 'commander';
import { WarningsOnlySink } from '../audit/collecting_sink.js';
import { runAudit } from '../audit/index.js';
import { auditJson, auditText } from '../audit/report.js';
import { recordRun } from '../history/record_run.js';
import { applyOptionsFrom } from './apply.js';
import { EXIT } from './main.js';
import { collect } from './options.js';
import { addVaultFlags, type VaultFlags } from './vault_flags.js';

interface AuditFlags extends VaultFlags {
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
  addVaultFlags(command).action(async (playbooks: string[], flags: AuditFlags) => {
    const warn = (message: string) => process.stderr.write(`[WARNING]: ${message}\n`);
    const options = applyOptionsFrom(playbooks, { ...flags, tags: [], skipTags: [], verbose: 0, check: true, diff: true }, process.env, process.cwd(), warn);
    // The history ledger keeps the audit as a run: its drift results per host and task, and its exit code.
    const recorded = { command: 'audit', cwd: process.cwd(), env: process.env, argv: process.argv.slice(2), playbooks: options.playbooks, check: true, diff: true, verbosity: 0, secrets: options.secrets };
    const result = await recordRun(recorded, new WarningsOnlySink(warn), async (events) => {
      const report = await runAudit(options, events);
      return { report, exitCode: report.findings.length === 0 ? EXIT.ok : EXIT.error };
    });
    process.stdout.write(flags.json ? auditJson(result.report) : auditText(result.report));
    process.exitCode = result.exitCode;
  });
}
