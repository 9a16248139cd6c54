import type { AuditReport } from './index.js';
import type { Finding } from './findings.js';

/** `fleet audit`'s text: one line per finding (host, kind, what, where), drift diffs indented below it. */
export function auditText(report: AuditReport): string {
  const lines = report.findings.map(findingText);
  const hostsWith = new Set(report.findings.map((finding) => finding.host)).size;
  const summary =
    report.findings.length === 0
      ? `fleet audit: clean (${report.hosts.length} host(s) audited)`
      : `fleet audit: ${report.findings.length} finding(s) on ${hostsWith} host(s), ${report.hosts.length} host(s) audited`;
  return [...lines, summary].join('\n') + '\n';
}

function findingText(finding: Finding): string {
  const head = `${finding.host}: ${finding.kind}: ${finding.what}${finding.where === undefined ? '' : ` [${finding.where}]`}`;
  if (finding.diff === undefined) return head;
  const diff = finding.diff.replace(/\n+$/, '').split('\n').map((line) => `    ${line}`);
  return [head, ...diff].join('\n');
}

/** `--json`: the report as one document. */
export function auditJson(report: AuditReport): string {
  return JSON.stringify({ clean: report.findings.length === 0, hosts: report.hosts, findings: report.findings }, null, 2) + '\n';
}
