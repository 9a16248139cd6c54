import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PolicyError } from '../errors.js';
import { applyPlaybooks, type ApplyOptions } from '../executor/run_playbooks.js';
import { findPolicyFile, loadBannedPolicy, type BannedPolicy } from '../fleet/policy.js';
import type { RunEvents } from '../output/events.js';
import { bannedFindings } from './checks/banned.js';
import { cronFindings } from './checks/cron.js';
import { identityFindings } from './checks/identity.js';
import { driftFindings } from './drift.js';
import { FINDING_KINDS, type Finding } from './findings.js';
import { ProbeSink, type HostProbe } from './host_probe.js';
import { PROBE_TAG, writeProbePlaybook } from './probe_playbook.js';

export type { Finding, FindingKind } from './findings.js';

export interface AuditReport {
  /** Hosts the audit reached or tried to reach. */
  hosts: string[];
  findings: Finding[];
}

/**
 * `fleet audit`: drift (the playbooks in check mode with diffs) and, from read-only
 * probes on every wizard, identity, banned providers and unmanaged cron entries. Nothing
 * on the hosts is written: both runs are check-mode runs of the executor. `events` get the
 * drift run's events (its warnings; the history ledger records its results).
 */
export async function runAudit(options: ApplyOptions, events: RunEvents): Promise<AuditReport> {
  const probeDir = mkdtempSync(join(tmpdir(), 'fleet-audit-'));
  try {
    const probeSink = new ProbeSink();
    // One run after the other: each reads (or asks for) the vault passwords.
    const drift = await driftFindings(options, events);
    const probeHosts = await runProbes(options, probeDir, probeSink);
    const probes = probeSink.probes();
    const policy = bannedPolicy(options);
    const unreachable = new Set(drift.filter((finding) => finding.kind === 'unreachable').map((finding) => finding.host));
    const findings = [
      ...drift,
      ...probeSink.findings.filter((finding) => !(finding.kind === 'unreachable' && unreachable.has(finding.host))),
      ...identityFindings(probes),
      ...(policy ? probes.flatMap((probe: HostProbe) => bannedFindings(policy, probe)) : []),
      ...cronFindings(probes),
    ];
    const hosts = [...new Set([...findings.map((finding) => finding.host), ...probeHosts])].filter((host) => host !== '*');
    return { hosts: hosts.sort(), findings: sortFindings(findings) };
  } catch (error) {
    // The pre-flight refuses the run before any host is contacted (e.g. two wizards with one address and home).
    if (error instanceof PolicyError) return { hosts: [], findings: [{ host: '*', kind: 'policy', what: error.format() }] };
    throw error;
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
  }
}

/**
 * The probe play runs after the audited playbooks in one check-mode run, selected by its
 * tag: so it sees the same group_vars (the first playbook's directory) while none of the
 * playbooks' own tasks run (but fact gathering and tasks tagged `always`, in check mode as
 * the whole run is). Returns the hosts it ran on.
 */
async function runProbes(options: ApplyOptions, dir: string, sink: ProbeSink): Promise<string[]> {
  const probeFile = writeProbePlaybook(dir);
  const { startAtTask: _ignored, ...rest } = options;
  const result = await applyPlaybooks({ ...rest, playbooks: [...options.playbooks, probeFile], tags: [PROBE_TAG], skipTags: [], check: true, diff: false }, sink);
  return [...result.stats.hosts.keys()];
}

/** The BANNED_PROVIDERS.yml the pre-flight applies: the nearest one in or above the playbooks' directories or the cwd. */
function bannedPolicy(options: ApplyOptions): BannedPolicy | undefined {
  const dirs = [...options.playbooks.map((file) => dirname(resolve(options.cwd, file))), options.cwd];
  const file = dirs.map(findPolicyFile).find((found) => found !== undefined);
  return file === undefined ? undefined : loadBannedPolicy(realpathSync(file));
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => a.finding.host.localeCompare(b.finding.host) || FINDING_KINDS.indexOf(a.finding.kind) - FINDING_KINDS.indexOf(b.finding.kind) || a.index - b.index)
    .map(({ finding }) => finding);
}
