import { z } from 'zod';
import { bannedMatches, type BannedMatch, type BannedPolicy } from '../../fleet/policy.js';
import type { Finding } from '../findings.js';
import type { HostProbe } from '../host_probe.js';

/**
 * Banned providers (BANNED_PROVIDERS.yml, matched by src/fleet/policy.ts) in what the
 * agent runs with: its config.yaml, its .env and the request_log rows. As in the
 * pre-flight, a line (or field) is reported once, naming the first policy entry it matches
 * and the place, never the matched text: a .env value is a secret, so a .env finding names
 * the key only.
 */
export function bannedFindings(policy: BannedPolicy, probe: HostProbe): Finding[] {
  return [...configFindings(policy, probe), ...envFindings(policy, probe), ...requestLogFindings(policy, probe)];
}

const entry = (match: BannedMatch) => `banned ${match.kind} ${match.value}`;
const firstMatch = (policy: BannedPolicy, text: string): BannedMatch | undefined => bannedMatches(policy, text)[0];

function configFindings(policy: BannedPolicy, probe: HostProbe): Finding[] {
  const output = probe.outputs.config;
  if (!output || output.rc !== 0) return [];
  return output.stdout.split('\n').flatMap((line, index) => {
    const match = firstMatch(policy, line);
    return match ? [{ host: probe.host, kind: 'banned' as const, what: `config.yaml holds a ${entry(match)}`, where: `${probe.vars.config_file}:${index + 1}` }] : [];
  });
}

function envFindings(policy: BannedPolicy, probe: HostProbe): Finding[] {
  const output = probe.outputs.env;
  if (!output || output.rc !== 0) return [];
  return output.stdout.split('\n').flatMap((line, index) => {
    const match = firstMatch(policy, line);
    if (!match) return [];
    const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    const what = `.env ${key === undefined ? 'line' : `key ${key}`} holds a ${entry(match)}`;
    return [{ host: probe.host, kind: 'banned' as const, what, where: `${probe.vars.env_file}:${index + 1}` }];
  });
}

const providerRows = z.array(
  z.object({ provider: z.string(), model: z.string(), endpoint: z.string(), row_count: z.number(), first_id: z.number(), last_id: z.number() }),
);

function requestLogFindings(policy: BannedPolicy, probe: HostProbe): Finding[] {
  const output = probe.outputs.requestLog;
  const where = probe.vars.request_log_db;
  if (!output) return [];
  if (output.rc !== 0) return [{ host: probe.host, kind: 'failed', what: `request_log not readable: ${output.stderr.trim()}`, where }];
  // sqlite3 -json prints nothing at all for an empty result.
  const rows = providerRows.parse(output.stdout.trim() === '' ? [] : JSON.parse(output.stdout));
  return rows.flatMap((row) => {
    const matches = (['provider', 'model', 'endpoint'] as const).flatMap((field) => {
      const match = firstMatch(policy, row[field]);
      return match ? [`${field} ${JSON.stringify(row[field])} (${entry(match)})`] : [];
    });
    if (matches.length === 0) return [];
    const ids = row.first_id === row.last_id ? `id ${row.first_id}` : `ids ${row.first_id}…${row.last_id}`;
    return [{ host: probe.host, kind: 'banned' as const, what: `${row.row_count} request_log row(s) with ${matches.join(', ')}`, where: `${where}: request_log ${ids}` }];
  });
}
