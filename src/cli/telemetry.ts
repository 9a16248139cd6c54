import type { Command } from 'commander';
import { collect } from './options.js';

export interface TelemetryFlags {
  inventory: string[];
  limit?: string;
  db: string;
  fetch?: boolean;
  since: string;
  agent?: string;
  provider?: string;
  policy?: string;
  json?: boolean;
}

/** Where the rows come from and go: the hosts, the local SQLite, the output form. */
function withStoreOptions(command: Command): Command {
  return command
    .option('-i, --inventory <source>', 'inventory (repeatable; default inventory/hosts.yml)', collect, [])
    .option('-l, --limit <pattern>', 'only these wizards')
    .option('--db <file>', 'local SQLite copy of the request logs', '.fleet/telemetry.sqlite')
    .option('--json', 'print JSON');
}

/** The questions' options: the window, the policy, and whether to fetch first. */
function withQueryOptions(command: Command, defaultSince: string): Command {
  return withStoreOptions(command)
    .option('--fetch', 'copy new rows from the hosts first')
    .option('--since <when>', 'window start: 30m, 1h, 7d or an ISO-8601 time', defaultSince)
    .option('--policy <file>', 'banned providers (default the nearest BANNED_PROVIDERS.yml)');
}

const actions = () => import('./actions/telemetry.js');

export function registerTelemetryCommand(program: Command): void {
  const telemetry = program.command('telemetry').description("The wizards' request logs, copied over SSH into a local SQLite");
  withStoreOptions(telemetry.command('fetch'))
    .description('Copy new request_log rows from every wizard')
    .action(async (flags: TelemetryFlags) => (await actions()).fetchTelemetry(flags));
  withQueryOptions(telemetry.command('report'), '24h')
    .description('Calls, errors, fallbacks, p50/p95 latency per agent/provider/model over a window; banned providers flagged')
    .option('--agent <name>', 'only this agent')
    .option('--provider <id>', 'only this provider')
    .action(async (flags: TelemetryFlags) => (await actions()).reportTelemetry(flags));
  withQueryOptions(telemetry.command('called').argument('<agent>').argument('<provider>'), '1h')
    .description('Did AGENT call PROVIDER in the window? Exit 0 yes, 1 no')
    .action(async (agent: string, provider: string, flags: TelemetryFlags) => (await actions()).calledTelemetry(agent, provider, flags));
  withQueryOptions(telemetry.command('banned'), '24h')
    .description('Calls to banned providers, models or endpoints in the window; exit 1 if any')
    .action(async (flags: TelemetryFlags) => (await actions()).bannedTelemetry(flags));
}
