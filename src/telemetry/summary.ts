import type { BannedPolicy } from '../fleet/policy.js';
import { bannedMatches } from '../fleet/policy.js';
import type { StoredRow } from './store.js';

/** Calls of one agent to one provider and model over the window. */
export interface UsageLine {
  agent: string;
  provider: string;
  model: string;
  calls: number;
  /** Rows with status error or timeout. */
  errors: number;
  fallbacks: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  lastCall: string;
  /** BANNED_PROVIDERS.yml entries the provider, model or endpoint matched. */
  banned: string[];
}

const ERROR_STATUSES = new Set(['error', 'timeout']);

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] as number;
}

function bannedEntries(policy: BannedPolicy | undefined, row: Pick<StoredRow, 'provider' | 'model' | 'endpoint'>): string[] {
  if (!policy) return [];
  const found = [row.provider, row.model, row.endpoint].flatMap((text) => bannedMatches(policy, text).map((match) => `${match.kind} ${match.value}`));
  return [...new Set(found)];
}

/** Per agent/provider/model: calls, errors, fallbacks, p50/p95 latency, and what of it is banned. */
export function usageLines(rows: StoredRow[], policy: BannedPolicy | undefined): UsageLine[] {
  const groups = new Map<string, StoredRow[]>();
  for (const row of rows) {
    const key = JSON.stringify([row.agent_name, row.provider, row.model]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const lines = [...groups.values()].map((group): UsageLine => {
    const first = group[0] as StoredRow;
    const latencies = group.map((row) => row.latency_ms).filter((value): value is number => value !== null).sort((a, b) => a - b);
    return {
      agent: first.agent_name,
      provider: first.provider,
      model: first.model,
      calls: group.length,
      errors: group.filter((row) => ERROR_STATUSES.has(row.status)).length,
      fallbacks: group.filter((row) => row.status === 'fallback').length,
      p50LatencyMs: percentile(latencies, 0.5),
      p95LatencyMs: percentile(latencies, 0.95),
      lastCall: group.reduce((last, row) => (row.timestamp > last ? row.timestamp : last), first.timestamp),
      banned: [...new Set(group.flatMap((row) => bannedEntries(policy, row)))],
    };
  });
  return lines.sort((a, b) => a.agent.localeCompare(b.agent) || a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
}
