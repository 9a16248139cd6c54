import { z } from 'zod';
import { PolicyError, ValidationError, type FleetError, type SourceLocation } from '../errors.js';
import { fromPy, PyDict, type PyValue } from '../template/values.js';
import { formatPath, locationOfPath } from './located_text.js';
import { bannedMatches, POLICY_FILE_NAME, type BannedPolicy } from './policy.js';

/**
 * The golden state of group_vars/wizards.yml as a zod schema: the provider chain, the
 * deadman settings, the cron jobs, the agent service settings and the config upstream.
 * Values may be Jinja2 templates where the playbooks template them, so strings are checked
 * for shape only where a template could not stand.
 */

export const PROVIDER_IDS = ['kimi-coding', 'openrouter', 'custom'] as const;

/** The golden-state variables, each checked wherever a vars file sets it; every one is optional. */
const GOLDEN_STATE_VARS = ['provider_chain', 'deadman', 'wizard_cron_jobs', 'config_upstream', 'agent_service_manager', 'agent_gateway_port', 'request_log_retention_days'] as const;

/**
 * Built on first use: the schemas cost milliseconds of zod construction, which every start of
 * fleet paid, and most runs hold none of these variables (validateGoldenState never needs them).
 */
function buildGoldenStateSchema() {
  const templated = (pattern: RegExp) => z.string().refine((text) => text.includes('{{') || pattern.test(text), { message: `must match ${pattern}` });
  const url = templated(/^(https?|file):\/\/\S+$/);
  const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name');
  const positiveInt = z.int().positive();
  const cronField = z.union([z.string().min(1), z.int().nonnegative()]);

  const chainEntrySchema = z.strictObject({
    priority: positiveInt,
    provider: z.enum(PROVIDER_IDS, { error: (issue) => `unknown provider id ${JSON.stringify(issue.input)} (known: ${PROVIDER_IDS.join(', ')})` }),
    model: z.string().min(1),
    base_url: url,
    api_key_env: envName.optional(),
  });

  const providerChainSchema = z
    .array(chainEntrySchema)
    .min(1)
    .superRefine((chain, ctx) => {
      const byPriority = new Map<number, number>();
      chain.forEach((entry, index) => {
        const first = byPriority.get(entry.priority);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'priority'], message: `duplicate priority ${entry.priority} (also entry ${first + 1})` });
        else byPriority.set(entry.priority, index);
      });
      const expected = chain.length;
      chain.forEach((entry, index) => {
        if (entry.priority > expected) ctx.addIssue({ code: 'custom', path: [index, 'priority'], message: `priority ${entry.priority} leaves a gap: priorities must be 1..${expected} in a chain of ${expected}` });
      });
      const seen = new Map<string, number>();
      chain.forEach((entry, index) => {
        const key = `${entry.provider}\0${entry.model}\0${entry.base_url}`;
        const first = seen.get(key);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate provider entry ${entry.provider} ${entry.model} (also entry ${first + 1})` });
        else seen.set(key, index);
      });
    });

  const deadmanSchema = z.strictObject({
    interval_minutes: positiveInt.max(59),
    failures_before_rollback: positiveInt,
    keep_snapshots: positiveInt,
    heartbeat_max_age_minutes: positiveInt,
    legacy_cron_names: z.array(z.string().min(1)).default([]),
  });

  const cronJobSchema = z.strictObject({
    name: z.string().regex(/^fleet:([^:\s{}]+|\{\{[^}]*\}\}):[^:\s]+$/, 'cron job names are fleet:<agent or machine>:<job>'),
    job: z.string().min(1),
    minute: cronField.optional(),
    hour: cronField.optional(),
    day: cronField.optional(),
    month: cronField.optional(),
    weekday: cronField.optional(),
  });

  const configUpstreamSchema = z.strictObject({
    repo: url,
    branch: z.string().min(1),
    path: z.string().min(1),
    recovery_endpoint: url,
  });

  return z.object({
    provider_chain: providerChainSchema.optional(),
    deadman: deadmanSchema.optional(),
    wizard_cron_jobs: z
      .array(cronJobSchema)
      .superRefine((jobs, ctx) => {
        const names = new Set<string>();
        jobs.forEach((job, index) => {
          if (names.has(job.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate cron job name ${job.name}` });
          names.add(job.name);
        });
      })
      .optional(),
    config_upstream: configUpstreamSchema.optional(),
    agent_service_manager: z.enum(['systemd', 'launchd', 'pidfile']).optional(),
    // `-e agent_gateway_port=8642` gives a string, as it does in Ansible.
    agent_gateway_port: z.union([z.int().min(1).max(65535), z.string().regex(/^\d{1,5}$|\{\{/), z.null()]).optional(),
    request_log_retention_days: positiveInt.optional(),
  } satisfies Record<(typeof GOLDEN_STATE_VARS)[number], z.ZodType>);
}

let goldenStateSchema: ReturnType<typeof buildGoldenStateSchema> | undefined;

/** Checks one vars file's data; errors carry the file:line of the offending value. */
export function validateGoldenState(data: PyValue, file: string, policy?: BannedPolicy): FleetError[] {
  if (!(data instanceof PyDict) || !GOLDEN_STATE_VARS.some((name) => data.has(name))) return [];
  const fallback: SourceLocation = { file, line: 1, col: 1 };
  const errors: FleetError[] = [];
  const parsed = (goldenStateSchema ??= buildGoldenStateSchema()).safeParse(fromPy(data));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors.push(new ValidationError(`golden state: ${formatPath(issue.path)}: ${issue.message}`, { location: locationOfPath(data, issue.path, fallback) }));
    }
  }
  const chain = data.get('provider_chain');
  if (policy && Array.isArray(chain)) {
    chain.forEach((entry, index) => {
      if (!(entry instanceof PyDict)) return;
      for (const field of ['provider', 'model', 'base_url', 'api_key_env']) {
        const value = entry.get(field);
        if (typeof value !== 'string') continue;
        const [match] = bannedMatches(policy, value);
        if (match) errors.push(new PolicyError(`golden state: provider_chain[${index}].${field}: banned ${match.kind} "${match.value}" (${POLICY_FILE_NAME})`, { location: locationOfPath(data, ['provider_chain', index, field], fallback) }));
      }
    });
  }
  return errors;
}
