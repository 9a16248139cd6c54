import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { findPolicyFile, loadBannedPolicy, type BannedPolicy } from '../fleet/policy.js';
import { fetchRequestLogs } from '../telemetry/fetch.js';
import { fetchText, usageText } from '../telemetry/report.js';
import { TelemetryStore } from '../telemetry/store.js';
import { usageLines } from '../telemetry/summary.js';
import { windowStart } from '../telemetry/window.js';
import { applyOptionsFrom } from './apply.js';
import { EXIT } from './main.js';
import { collect } from './options.js';

interface TelemetryFlags {
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

/** The group whose hosts keep a request_log (inventory/hosts.yml, sandbox/inventory.yml). */
const AGENT_HOSTS = 'wizards';

const out = (text: string) => process.stdout.write(text);

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

async function openStore(flags: TelemetryFlags): Promise<TelemetryStore> {
  const store = new TelemetryStore(resolve(flags.db));
  if (flags.fetch) process.stderr.write(fetchText(await fetch(flags, store)));
  return store;
}

function fetch(flags: TelemetryFlags, store: TelemetryStore) {
  const options = applyOptionsFrom([], { inventory: flags.inventory, tags: [], skipTags: [], extraVars: [], verbose: 0, ...(flags.limit ? { limit: flags.limit } : {}) }, process.env, process.cwd());
  return fetchRequestLogs(options, AGENT_HOSTS, store);
}

function policy(flags: TelemetryFlags): BannedPolicy | undefined {
  const file = flags.policy ?? findPolicyFile(process.cwd());
  return file === undefined ? undefined : loadBannedPolicy(realpathSync(file));
}

export function registerTelemetryCommand(program: Command): void {
  const telemetry = program.command('telemetry').description("The wizards' request logs, copied over SSH into a local SQLite");
  withStoreOptions(telemetry.command('fetch'))
    .description('Copy new request_log rows from every wizard')
    .action(async (flags: TelemetryFlags) => {
      const store = new TelemetryStore(resolve(flags.db));
      try {
        const reports = await fetch(flags, store);
        out(flags.json ? `${JSON.stringify(reports, null, 2)}\n` : fetchText(reports));
        if (reports.some((report) => report.error !== undefined)) process.exitCode = EXIT.error;
      } finally {
        store.close();
      }
    });
  withQueryOptions(telemetry.command('report'), '24h')
    .description('Calls, errors, fallbacks, p50/p95 latency per agent/provider/model over a window; banned providers flagged')
    .option('--agent <name>', 'only this agent')
    .option('--provider <id>', 'only this provider')
    .action(async (flags: TelemetryFlags) => {
      const since = windowStart(flags.since, new Date());
      const store = await openStore(flags);
      try {
        const lines = usageLines(store.rows({ since, ...(flags.agent ? { agent: flags.agent } : {}), ...(flags.provider ? { provider: flags.provider } : {}) }), policy(flags));
        out(flags.json ? `${JSON.stringify({ since, usage: lines }, null, 2)}\n` : usageText(lines, since));
      } finally {
        store.close();
      }
    });
  withQueryOptions(telemetry.command('called').argument('<agent>').argument('<provider>'), '1h')
    .description('Did AGENT call PROVIDER in the window? Exit 0 yes, 1 no')
    .action(async (agent: string, provider: string, flags: TelemetryFlags) => {
      const since = windowStart(flags.since, new Date());
      const store = await openStore(flags);
      try {
        const rows = store.rows({ since, agent, provider });
        const last = rows.at(-1)?.timestamp;
        out(
          flags.json
            ? `${JSON.stringify({ agent, provider, since, called: rows.length > 0, calls: rows.length, lastCall: last ?? null })}\n`
            : rows.length > 0
              ? `yes: ${agent} called ${provider} ${rows.length} time(s) since ${since}, last at ${last}\n`
              : `no: ${agent} did not call ${provider} since ${since}\n`,
        );
        if (rows.length === 0) process.exitCode = EXIT.error;
      } finally {
        store.close();
      }
    });
  withQueryOptions(telemetry.command('banned'), '24h')
    .description('Calls to banned providers, models or endpoints in the window; exit 1 if any')
    .action(async (flags: TelemetryFlags) => {
      const since = windowStart(flags.since, new Date());
      const store = await openStore(flags);
      try {
        const lines = usageLines(store.rows({ since }), policy(flags)).filter((line) => line.banned.length > 0);
        out(flags.json ? `${JSON.stringify({ since, banned: lines }, null, 2)}\n` : lines.length === 0 ? `no banned calls since ${since}\n` : usageText(lines, since));
        if (lines.length > 0) process.exitCode = EXIT.error;
      } finally {
        store.close();
      }
    });
}
