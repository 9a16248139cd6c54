import type { Command } from 'commander';
import { runAudit } from '../audit/index.js';
import { auditJson, auditText } from '../audit/report.js';
import { applyOptionsFrom } from './apply.js';
import { EXIT } from './main.js';
import { collect } from './options.js';

interface AuditFlags {
  inventory: string[];
  limit?: string;
  extraVars: string[];
  forks?: string;
  json?: boolean;
}

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('Report drift, identity problems, banned providers and unmanaged cron entries on live hosts (read-only)')
    .argument('[playbooks...]', 'playbooks whose check-mode converge defines drift (default playbooks/site.yml)')
    .option('-i, --inventory <source>', 'inventory file, directory or host list (repeatable; default inventory/hosts.yml)', collect, [])
    .option('-l, --limit <pattern>', 'further limit selected hosts to a pattern')
    .option('-e, --extra-vars <vars>', 'set additional variables as key=value, YAML/JSON, or @file (repeatable)', collect, [])
    .option('-f, --forks <n>', 'number of hosts to audit in parallel (default 16)')
    .option('--json', 'print the findings as JSON')
    .action(async (playbooks: string[], flags: AuditFlags) => {
      const warn = (message: string) => process.stderr.write(`[WARNING]: ${message}\n`);
      const options = applyOptionsFrom(playbooks, { ...flags, tags: [], skipTags: [], verbose: 0, check: true, diff: true }, process.env, process.cwd(), warn);
      const report = await runAudit(options, warn);
      process.stdout.write(flags.json ? auditJson(report) : auditText(report));
      process.exitCode = report.findings.length === 0 ? EXIT.ok : EXIT.error;
    });
}
