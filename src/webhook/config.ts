import { resolve } from 'node:path';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { formatPath, locationOfPath } from '../fleet/located_text.js';
import { fromPy } from '../template/values.js';
import { loadYamlFile } from '../yaml/load.js';

/**
 * config/webhook.yml. The names are those of the fleet's former Python handler, so an
 * operator's existing config keeps working; `database` is fleet's own addition.
 */
const webhookConfigSchema = z.strictObject({
  /** `owner/name` as Gitea's `repository.full_name`. */
  allowed_repos: z.array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/name')).min(1),
  allowed_events: z.array(z.enum(['push', 'pull_request'])).min(1),
  allowed_branches: z.array(z.string().min(1)).min(1),
  require_signature: z.boolean().default(true),
  /** Run for each deploy; relative paths are taken from the directory the server runs in. */
  deploy_script: z.string().min(1),
  /** SQLite file of deliveries and deploys. */
  database: z.string().min(1).default('.fleet/webhook.sqlite'),
});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** Reads and validates the config; every problem is a ValidationError at its file:line:col. */
export function loadWebhookConfig(file: string, cwd: string): WebhookConfig {
  const loaded = loadYamlFile(file);
  const data = loaded.documents[0] ?? null;
  const parsed = webhookConfigSchema.safeParse(fromPy(data));
  if (parsed.success) {
    return { ...parsed.data, deploy_script: resolve(cwd, parsed.data.deploy_script), database: resolve(cwd, parsed.data.database) };
  }
  const [issue] = parsed.error.issues;
  const path = issue?.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : (issue?.path ?? []);
  const location = locationOfPath(data, path, { file, line: 1, col: 1 });
  throw new ValidationError(`webhook config: ${formatPath(path)}: ${issue?.message ?? 'invalid'}`, {
    location,
    sourceLine: loaded.text.split('\n')[location.line - 1],
  });
}
