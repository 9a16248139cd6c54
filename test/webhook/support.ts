/** A webhook server on 127.0.0.1:0 with a deploy script that records each deploy in a marker file. */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { WebhookConfig } from '../../src/webhook/config.js';
import { createWebhookServer, HOOK_PATH, type WebhookServer } from '../../src/webhook/server.js';
import { giteaSignature } from '../../src/webhook/signature.js';

export const SECRET = 'test-secret-5f1c9a';
export const REPO = 'timmy/fleet';

export interface Harness {
  webhook: WebhookServer;
  port: number;
  dir: string;
  marker: string;
  logs: string[];
  /** One line per finished deploy: `<commit> <deliveries> <secret env or unset>`. */
  deploys(): string[];
}

/** Starts a server whose deploy script sleeps `sleepSeconds`, then appends to the marker file. */
export async function startHarness(options: { sleepSeconds?: number; failing?: boolean; config?: Partial<WebhookConfig> } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-webhook-'));
  const marker = join(dir, 'deploys.txt');
  const script = join(dir, 'deploy.sh');
  writeFileSync(
    script,
    `#!/bin/sh\nsleep ${options.sleepSeconds ?? 0}\necho "deploying $FLEET_DEPLOY_COMMIT"\nprintf '%s %s %s\\n' "$FLEET_DEPLOY_COMMIT" "$FLEET_DEPLOY_DELIVERIES" "\${GITEA_WEBHOOK_SECRET:-unset}" >> '${marker}'\n${options.failing ? 'echo "converge failed" >&2; exit 3\n' : ''}`,
  );
  chmodSync(script, 0o755);
  const config: WebhookConfig = {
    allowed_repos: [REPO],
    allowed_events: ['push', 'pull_request'],
    allowed_branches: ['main'],
    require_signature: true,
    deploy_script: script,
    database: join(dir, 'webhook.sqlite'),
    ...options.config,
  };
  const logs: string[] = [];
  const webhook = createWebhookServer({ config, secret: SECRET, env: { ...process.env, GITEA_WEBHOOK_SECRET: SECRET }, log: (line) => logs.push(line) });
  await new Promise<void>((resolve) => webhook.server.listen(0, '127.0.0.1', resolve));
  const port = (webhook.server.address() as AddressInfo).port;
  return {
    webhook,
    port,
    dir,
    marker,
    logs,
    deploys: () => (existsSync(marker) ? readFileSync(marker, 'utf8').trim().split('\n').filter(Boolean) : []),
  };
}

export function commitId(n: number): string {
  return n.toString(16).padStart(40, 'a');
}

export function pushPayload(commit: string, overrides: { repo?: string; branch?: string } = {}): Record<string, unknown> {
  return {
    ref: `refs/heads/${overrides.branch ?? 'main'}`,
    before: '0'.repeat(40),
    after: commit,
    repository: { full_name: overrides.repo ?? REPO, clone_url: 'https://forge.example/timmy/fleet.git' },
  };
}

export function pullRequestPayload(commit: string, merged: boolean, action = 'closed'): Record<string, unknown> {
  return {
    action,
    number: 7,
    repository: { full_name: REPO },
    pull_request: { merged, merge_commit_sha: merged ? commit : null, base: { ref: 'main' } },
  };
}

export interface Reply {
  status: number;
  body: string;
}

export interface Delivery {
  event?: string;
  id?: string;
  body: string | Buffer;
  /** The X-Gitea-Signature value; by default the right one; null sends none. */
  signature?: string | null;
}

let deliveryCounter = 0;

export function newDeliveryId(): string {
  deliveryCounter += 1;
  return `delivery-${process.pid}-${deliveryCounter}`;
}

/** POSTs a delivery to the hook with a real HTTP request. */
export function deliver(port: number, delivery: Delivery): Promise<Reply> {
  const body = Buffer.isBuffer(delivery.body) ? delivery.body : Buffer.from(delivery.body);
  const signature = delivery.signature === undefined ? giteaSignature(SECRET, body) : delivery.signature;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'x-gitea-event': delivery.event ?? 'push',
    'x-gitea-delivery': delivery.id ?? newDeliveryId(),
    ...(signature === null ? {} : { 'x-gitea-signature': signature }),
  };
  return send(port, 'POST', HOOK_PATH, headers, body);
}

export function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
