import { parse } from 'yaml';
import { agentProcesses } from '../agent_processes.js';
import type { Finding } from '../findings.js';
import type { HostProbe } from '../host_probe.js';

/**
 * One identity per agent: the thin config wizard_base deploys names the host's agent_name,
 * no two inventory hosts resolve to one address and agent home, and exactly one agent
 * process runs per identity.
 */
export function identityFindings(probes: HostProbe[]): Finding[] {
  return [...probes.flatMap(deployedIdentity), ...sharedHomes(probes), ...probes.flatMap(processCount)];
}

function deployedIdentity(probe: HostProbe): Finding[] {
  const file = probe.vars.thin_config_file;
  const output = probe.outputs.thinConfig;
  const finding = (what: string, where = file): Finding => ({ host: probe.host, kind: 'identity', what, where });
  if (!output || output.rc !== 0) return [finding(`no deployed thin config: ${output?.stderr.trim() || 'not read'}`)];
  const line = output.stdout.split('\n').findIndex((text) => /^identity\s*:/.test(text)) + 1;
  let identity: unknown;
  try {
    identity = (parse(output.stdout) as Record<string, unknown> | null)?.identity;
  } catch {
    return [finding('the deployed thin config is not valid YAML')];
  }
  if (identity === undefined) return [finding('the deployed thin config names no identity')];
  if (identity === probe.vars.agent_name) return [];
  return [finding(`the deployed identity is ${JSON.stringify(identity)}, not ${JSON.stringify(probe.vars.agent_name)}`, `${file}:${line}`)];
}

function sharedHomes(probes: HostProbe[]): Finding[] {
  const byPlace = new Map<string, HostProbe[]>();
  for (const probe of probes) {
    const place = `${probe.vars.address}\0${probe.vars.agent_home}`;
    byPlace.set(place, [...(byPlace.get(place) ?? []), probe]);
  }
  return [...byPlace.values()]
    .filter((sharing) => sharing.length > 1)
    .flatMap((sharing) =>
      sharing.map((probe) => ({
        host: probe.host,
        kind: 'identity' as const,
        what: `${sharing.map((each) => each.host).join(', ')} share address ${probe.vars.address} and agent home ${probe.vars.agent_home}`,
      })),
    );
}

function processCount(probe: HostProbe): Finding[] {
  const output = probe.outputs.processes;
  const finding = (what: string): Finding[] => [{ host: probe.host, kind: 'identity', what, where: probe.vars.agent_home }];
  if (!output || output.rc !== 0) return finding(`agent processes not listed: ${output?.stderr.trim() || 'not read'}`);
  const running = agentProcesses(output.stdout, probe.vars.agent_command);
  if (running.length === 1) return [];
  if (running.length === 0) return finding(`no agent process of ${probe.vars.agent_name} runs`);
  return finding(`${running.length} agent processes of ${probe.vars.agent_name} run (pids ${running.map((each) => each.pid).join(', ')}); one is expected`);
}
