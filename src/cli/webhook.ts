import { CommanderError, type Command } from 'commander';
import { HOOK_PATH } from '../webhook/hook_path.js';
import { SECRET_ENV } from '../webhook/run_deploy_script.js';
import { EXIT } from './main.js';

export interface ServeFlags {
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
    .action(async (flags: ServeFlags) => (await import('./actions/webhook.js')).serveWebhook(flags));
}
