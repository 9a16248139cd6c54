import type { Finding } from '../findings.js';
import type { HostProbe } from '../host_probe.js';

/**
 * Cron entries no role manages. The roles install every job with the cron module, whose
 * `#Ansible: NAME` marker line precedes the job (cron_manager, from wizard_cron_jobs), so
 * a job line is managed when the line before it is the marker of a job some wizard on the
 * same machine (address and user: one crontab) declares. Wizards sharing a crontab are
 * reported once, under the first of them. A `fleet:<agent>:` job of a wizard this audit
 * left out (--limit) is that wizard's: its own audit judges it.
 */
export function cronFindings(probes: HostProbe[]): Finding[] {
  const machines = new Map<string, HostProbe[]>();
  for (const probe of probes) {
    const machine = `${probe.vars.address}\0${probe.vars.user}`;
    machines.set(machine, [...(machines.get(machine) ?? []), probe]);
  }
  const audited = new Set(probes.map((probe) => probe.host));
  return [...machines.values()].flatMap((sharing) => {
    const first = sharing[0] as HostProbe;
    const leftOut = new Set(first.vars.wizards.filter((wizard) => !audited.has(wizard)));
    const declared = (name: string) => sharing.some((probe) => probe.vars.cron_jobs.includes(name)) || leftOut.has(/^fleet:([^:]+):/.exec(name)?.[1] ?? '');
    return unmanagedEntries(first, declared);
  });
}

const MARKER = /^#Ansible: (.*)$/;
const ENVIRONMENT_LINE = /^\s*[A-Za-z_][A-Za-z0-9_]*\s*=/;

function unmanagedEntries(probe: HostProbe, declared: (name: string) => boolean): Finding[] {
  const output = probe.outputs.crontab;
  // `crontab -l` fails when the user has no crontab: nothing is unmanaged then.
  if (!output || output.rc !== 0) return [];
  const where = (line: number) => `crontab of ${probe.vars.user}@${probe.vars.address}:${line}`;
  const lines = output.stdout.split('\n');
  const findings: Finding[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '' || line.trimStart().startsWith('#') || ENVIRONMENT_LINE.test(line)) return;
    const name = MARKER.exec(lines[index - 1] ?? '')?.[1];
    if (name !== undefined && declared(name)) return;
    const what = name === undefined ? `cron entry no role manages: ${line}` : `cron entry ${JSON.stringify(name)} that no role declares: ${line}`;
    findings.push({ host: probe.host, kind: 'cron', what, where: where(index + 1) });
  });
  return findings;
}
