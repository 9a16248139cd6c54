import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { findPolicyFile, loadBannedPolicy, type BannedPolicy } from '../../fleet/policy.js';
import { fetchRequestLogs } from '../../telemetry/fetch.js';
import { fetchText, usageText } from '../../telemetry/report.js';
import { TelemetryStore } from '../../telemetry/store.js';
import { usageLines } from '../../telemetry/summary.js';
import { windowStart } from '../../telemetry/window.js';
import { applyOptionsFrom, optionsOrError } from '../apply.js';
import { EXIT } from '../main.js';
import type { TelemetryFlags } from '../telemetry.js';
import { deprecateOnStderr, warnOnStderr } from '../warn.js';

/** The group whose hosts keep a request_log (inventory/hosts.yml, sandbox/inventory.yml). */
const AGENT_HOSTS = 'wizards';

const out = (text: string) => process.stdout.write(text);

async function openStore(flags: TelemetryFlags): Promise<TelemetryStore> {
  const store = new TelemetryStore(resolve(flags.db));
  if (flags.fetch) process.stderr.write(fetchText(await fetch(flags, store)));
  return store;
}

function fetch(flags: TelemetryFlags, store: TelemetryStore) {
  const options = optionsOrError(() => applyOptionsFrom([], { inventory: flags.inventory, tags: [], skipTags: [], extraVars: [], verbose: 0, ...(flags.limit ? { limit: flags.limit } : {}) }, process.env, process.cwd(), warnOnStderr, deprecateOnStderr));
  return fetchRequestLogs(options, AGENT_HOSTS, store);
}

function policy(flags: TelemetryFlags): BannedPolicy | undefined {
  const file = flags.policy ?? findPolicyFile(process.cwd());
  return file === undefined ? undefined : loadBannedPolicy(realpathSync(file));
}

/** `fleet telemetry fetch`: copy new request_log rows from every wizard. */
export async function fetchTelemetry(flags: TelemetryFlags): Promise<void> {
  const store = new TelemetryStore(resolve(flags.db));
  try {
    const reports = await fetch(flags, store);
    out(flags.json ? `${JSON.stringify(reports, null, 2)}\n` : fetchText(reports));
    if (reports.some((report) => report.error !== undefined)) process.exitCode = EXIT.error;
  } finally {
    store.close();
  }
}

/** `fleet telemetry report`: usage per agent/provider/model over the window. */
export async function reportTelemetry(flags: TelemetryFlags): Promise<void> {
  const since = windowStart(flags.since, new Date());
  const store = await openStore(flags);
  try {
    const lines = usageLines(store.rows({ since, ...(flags.agent ? { agent: flags.agent } : {}), ...(flags.provider ? { provider: flags.provider } : {}) }), policy(flags));
    out(flags.json ? `${JSON.stringify({ since, usage: lines }, null, 2)}\n` : usageText(lines, since));
  } finally {
    store.close();
  }
}

/** `fleet telemetry called AGENT PROVIDER`: exit 0 if it did in the window, 1 if not. */
export async function calledTelemetry(agent: string, provider: string, flags: TelemetryFlags): Promise<void> {
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
}

/** `fleet telemetry banned`: calls to banned providers in the window; exit 1 if any. */
export async function bannedTelemetry(flags: TelemetryFlags): Promise<void> {
  const since = windowStart(flags.since, new Date());
  const store = await openStore(flags);
  try {
    const lines = usageLines(store.rows({ since }), policy(flags)).filter((line) => line.banned.length > 0);
    out(flags.json ? `${JSON.stringify({ since, banned: lines }, null, 2)}\n` : lines.length === 0 ? `no banned calls since ${since}\n` : usageText(lines, since));
    if (lines.length > 0) process.exitCode = EXIT.error;
  } finally {
    store.close();
  }
}
