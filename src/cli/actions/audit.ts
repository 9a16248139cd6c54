import { WarningsOnlySink } from '../../audit/collecting_sink.js';
import { runAudit } from '../../audit/index.js';
import { auditJson, auditText } from '../../audit/report.js';
import { recordRun } from '../../history/record_run.js';
import { applyOptionsFrom, optionsOrError } from '../apply.js';
import type { AuditFlags } from '../audit.js';
import { EXIT } from '../main.js';
import { deprecateOnStderr, warnOnStderr } from '../warn.js';

/** `fleet audit`: the findings on the live hosts, recorded in the history ledger as a run. */
export async function auditAction(playbooks: string[], flags: AuditFlags): Promise<void> {
  const options = optionsOrError(() => applyOptionsFrom(playbooks, { ...flags, tags: [], skipTags: [], verbose: 0, check: true, diff: true }, process.env, process.cwd(), warnOnStderr, deprecateOnStderr));
  // The history ledger keeps the audit as a run: its drift results per host and task, and its exit code.
  const recorded = { command: 'audit', cwd: process.cwd(), env: process.env, argv: process.argv.slice(2), playbooks: options.playbooks, check: true, diff: true, verbosity: 0, secrets: options.secrets };
  const result = await recordRun(recorded, new WarningsOnlySink(warnOnStderr), async (events) => {
    const report = await runAudit(options, events);
    return { report, exitCode: report.findings.length === 0 ? EXIT.ok : EXIT.error };
  });
  process.stdout.write(flags.json ? auditJson(result.report) : auditText(result.report));
  process.exitCode = result.exitCode;
}
