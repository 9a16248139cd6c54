import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { CommanderError, type Command } from 'commander';
import { loadWebhookConfig } from '../webhook/config.js';
import { SECRET_ENV } from '../webhook/run_deploy_script.js';
import { createWebhookServer, HOOK_PATH } from '../webhook/server.js';
import { EXIT } from './main.js';

interface ServeFlags {
  listen: string;
  config: string;
}

/** `HOST:PORT` or `[IPv6]:PORT`. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new CommanderError(EXIT.badOptions, 'fleet.listen', `--listen must be HOST:PORT, got ${text}`);
  return { host: (match[1] ?? match[2]) as string, port };
}

export function registerWebhookCommand(program: Command): void {
  const webhook = program.command('webhook').description('Receive Gitea webhooks and deploy the fleet');
  webhook
    .command('serve')
    .description(`Serve POST ${HOOK_PATH}, GET /healthz and GET /status; the secret comes from ${SECRET_ENV}`)
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:9000')
    .option('--config <file>', 'webhook config', 'config/webhook.yml')
    .action(async (flags: ServeFlags) => {
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
    });
}
