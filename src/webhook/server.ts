import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FleetError } from '../errors.js';
import { HOOK_PATH } from './hook_path.js';
import type { WebhookConfig } from './config.js';
import { DeployQueue, type DeployJob } from './deploy_queue.js';
import { classifyDelivery } from './gitea_event.js';
import { closeUnreadConnection, readBody } from './read_body.js';
import { runDeployScript, SECRET_ENV } from './run_deploy_script.js';
import { signatureMatches } from './signature.js';
import { WebhookStore } from './store.js';

export { HOOK_PATH };
export const MAX_BODY_BYTES = 1024 * 1024;
const STATUS_ROWS = 20;

export interface WebhookServerOptions {
  config: WebhookConfig;
  /** GITEA_WEBHOOK_SECRET; required when the config requires signatures. */
  secret: string | undefined;
  /** Environment of the deploy script (the secret is removed from it). */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export interface WebhookServer {
  server: Server;
  queue: DeployQueue;
  store: WebhookStore;
  /** Stops accepting requests, waits for the running and queued deploys, closes the ledger. */
  close(): Promise<void>;
}

/** The Gitea webhook receiver: verifies, filters and records deliveries, and deploys one at a time. */
export function createWebhookServer(options: WebhookServerOptions): WebhookServer {
  const { config, secret, log } = options;
  if (config.require_signature && !secret) throw new FleetError(`require_signature is true but ${SECRET_ENV} is not set`);
  const store = new WebhookStore(config.database);
  const queue = new DeployQueue(
    (job) => deploy(job),
    (job) => {
      for (const id of job.deliveries) store.setOutcome(id, 'coalesced: that commit was just deployed');
      log(`deliveries ${job.deliveries.join(', ')}: commit ${job.request.commit} was just deployed; no follow-up deploy`);
    },
  );

  async function deploy(job: DeployJob): Promise<boolean> {
    const id = store.startDeploy(job.request, job.deliveries);
    for (const delivery of job.deliveries) store.setOutcome(delivery, `deploy #${id}`);
    log(`deploy #${id}: ${job.request.repo} ${job.request.branch} ${job.request.commit} (deliveries ${job.deliveries.join(', ')})`);
    const result = await runDeployScript(config.deploy_script, job, options.env);
    store.finishDeploy(id, result.exitCode, result.outputTail);
    log(`deploy #${id}: ${result.exitCode === 0 ? 'succeeded' : `failed (exit ${result.exitCode ?? 'none'})`}`);
    return result.exitCode === 0;
  }

  const reply = (response: ServerResponse, status: number, body: Record<string, unknown>) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(`${JSON.stringify(body)}\n`);
  };

  async function handleDelivery(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const read = await readBody(request, MAX_BODY_BYTES);
    if (read.kind === 'aborted') return;
    if (read.kind === 'too-large') {
      log(`refused a delivery: body over ${MAX_BODY_BYTES} bytes`);
      response.shouldKeepAlive = false;
      response.once('finish', () => closeUnreadConnection(request));
      return reply(response, 413, { status: 'refused', reason: `body over ${MAX_BODY_BYTES} bytes` });
    }
    const delivery = header(request, 'x-gitea-delivery');
    const event = header(request, 'x-gitea-event');
    const signature = header(request, 'x-gitea-signature');
    if (signature === undefined ? config.require_signature : secret !== undefined && !signatureMatches(secret, read.body, signature)) {
      log(`refused delivery ${delivery ?? '(no id)'}: ${signature === undefined ? 'unsigned' : 'bad signature'}`);
      return reply(response, 401, { status: 'refused', reason: signature === undefined ? 'missing X-Gitea-Signature' : 'signature does not match' });
    }
    if (!delivery || !event) return reply(response, 400, { status: 'refused', reason: 'missing X-Gitea-Delivery or X-Gitea-Event' });
    let payload: unknown;
    try {
      payload = JSON.parse(read.body.toString('utf8'));
    } catch {
      log(`refused delivery ${delivery}: body is not JSON`);
      return reply(response, 400, { status: 'refused', reason: 'body is not JSON' });
    }
    const verdict = classifyDelivery(event, payload, config);
    if (verdict.kind === 'malformed') {
      log(`refused delivery ${delivery}: ${verdict.reason}`);
      return reply(response, 400, { status: 'refused', reason: verdict.reason });
    }
    if (!store.recordDelivery(delivery, event)) {
      log(`delivery ${delivery}: replay of a delivery already handled; ignored`);
      return reply(response, 200, { status: 'ignored', reason: 'delivery already handled', delivery });
    }
    if (verdict.kind === 'ignored') {
      store.setOutcome(delivery, `ignored: ${verdict.reason}`);
      log(`delivery ${delivery}: ignored (${verdict.reason})`);
      return reply(response, 200, { status: 'ignored', reason: verdict.reason, delivery });
    }
    const state = queue.submit(verdict.request, delivery);
    if (state === 'queued') store.setOutcome(delivery, 'queued behind the running deploy');
    log(`delivery ${delivery}: ${state === 'started' ? 'deploying' : 'queued'} ${verdict.request.commit}`);
    return reply(response, 202, { status: state === 'started' ? 'deploying' : 'queued', commit: verdict.request.commit, delivery });
  }

  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz' && request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('ok\n');
    } else if (path === '/status' && request.method === 'GET') {
      reply(response, 200, { ...queue.snapshot(), deploys: store.recentDeploys(STATUS_ROWS), deliveries: store.recentDeliveries(STATUS_ROWS) });
    } else if (path === HOOK_PATH && request.method === 'POST') {
      handleDelivery(request, response).catch((error: unknown) => {
        log(`delivery failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!response.headersSent) reply(response, 500, { status: 'error' });
      });
    } else if (path === HOOK_PATH || path === '/healthz' || path === '/status') {
      reply(response, 405, { status: 'refused', reason: `${request.method ?? ''} not allowed here` });
    } else {
      reply(response, 404, { status: 'not found' });
    }
  });

  return {
    server,
    queue,
    store,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue.idle();
      store.close();
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
