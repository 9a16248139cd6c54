import { randomUUID } from 'node:crypto';
import type { ExecOptions } from '../connections/types.js';
import { inlineLibraries } from '../shell/libraries.js';
import { prelude } from '../shell/prelude.js';
import { parseRecords } from '../shell/records.js';
import type { Script } from '../shell/script.js';
import type { Userland } from '../shell/userland.js';
import type { RemoteOutput } from './types.js';

export { parseRecords } from '../shell/records.js';

/** Runs one shell script on a host and returns its raw result (a Connection's `exec`). */
export type ExecScript = (
  script: string,
  options?: ExecOptions,
) => Promise<{ rc: number; stdout: string; stderr: string; timedOut?: boolean }>;

/** A module script ready to send: the libraries it needs, and its body, which emits records under `nonce`. */
export interface ModuleCall {
  libraries: string[];
  body: string;
  nonce: string;
}

/**
 * The userland's prelude and the script's libraries, then the body. The nonce is fresh per
 * call so nothing the script prints can pass for one of its records.
 */
export function moduleCall(script: Script, userland: Userland): ModuleCall {
  const nonce = `fleet_rec_${randomUUID().replace(/-/g, '')}`;
  const { libraries, body } = script.split();
  return { libraries: [prelude(userland), ...libraries], body: `fleet_rec=${nonce}\n${body}\n`, nonce };
}

/** The whole text of a module script as one piece (what a plain `sh` would be given). */
export function moduleScriptText(script: Script, userland: Userland): string {
  const call = moduleCall(script, userland);
  return inlineLibraries(call.body, call.libraries);
}

export async function runRemote(
  exec: ExecScript,
  userland: Userland,
  script: Script,
  options: { timeoutMs?: number } = {},
): Promise<RemoteOutput> {
  const call = moduleCall(script, userland);
  const result = await exec(call.body, { ...options, libraries: call.libraries });
  const { fields, stray } = parseRecords(result.stdout, call.nonce);
  return { rc: result.rc, fields, stray, stderr: result.stderr, timedOut: result.timedOut === true };
}

/** The single value of a record, or `fallback` when the script did not emit it. */
export function field(output: RemoteOutput, key: string, fallback = ''): string {
  return output.fields.get(key)?.[0] ?? fallback;
}
