import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { loadWebhookConfig } from '../../webhook/config.js';
import { SECRET_ENV } from '../../webhook/run_deploy_script.js';
import { createWebhookServer } from '../../webhook/server.js';
import { parseListen, type ServeFlags } from '../webhook.js';

/** `fleet webhook serve`: serve until SIGTERM or SIGINT, then let the running deploy finish. */
export async function serveWebhook(flags: ServeFlags): Promise<void> {
  const { host, port } = parseListen(flags.listen);
  const config = loadWebhookConfig(flags.config, process.cwd());
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const webhook = createWebhookServer({ config, secret: process.env[SECRET_ENV] || undefined, env: process.env, log });
  webhook.server.listen(port, host);
  await once(webhook.server, 'listening');
  const address = webhook.server.address() as AddressInfo;
  log(`listening on ${address.address}:${address.port}; deploy script ${config.deploy_script}`);
  const signal = await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]);
  log(`${String(signal[0] ?? 'signal')}: finishing the running deploy, then stopping`);
  await webhook.close();
}
