import { prelude } from '../shell/prelude.js';
import type { Script } from '../shell/script.js';
import type { Userland } from '../shell/userland.js';
import type { RemoteOutput } from './types.js';

/** Runs one shell script on a host and returns its raw result (a Connection's `exec`). */
export type ExecScript = (
  script: string,
  options?: { timeoutMs?: number },
) => Promise<{ rc: number; stdout: string; stderr: string; timedOut?: boolean }>;

const RECORD = /^([A-Za-z_][A-Za-z0-9_.]*)=([A-Za-z0-9+/=]*)$/;

/** Splits a module script's stdout into its `KEY=BASE64` records and anything else. */
export function parseRecords(stdout: string): { fields: Map<string, string[]>; stray: string } {
  const fields = new Map<string, string[]>();
  const stray: string[] = [];
  for (const line of stdout.split('\n')) {
    const match = RECORD.exec(line);
    if (!match) {
      if (line !== '') stray.push(line);
      continue;
    }
    const [, key, encoded] = match as unknown as [string, string, string];
    const values = fields.get(key) ?? [];
    values.push(Buffer.from(encoded, 'base64').toString('utf8'));
    fields.set(key, values);
  }
  return { fields, stray: stray.join('\n') };
}

/** The full text sent for a module script: the userland's prelude, then the script. */
export function moduleScriptText(script: Script, userland: Userland): string {
  return `${prelude(userland)}\n${script.text()}\n`;
}

export async function runRemote(
  exec: ExecScript,
  userland: Userland,
  script: Script,
  options: { timeoutMs?: number } = {},
): Promise<RemoteOutput> {
  const result = await exec(moduleScriptText(script, userland), options);
  const { fields, stray } = parseRecords(result.stdout);
  return { rc: result.rc, fields, stray, stderr: result.stderr, timedOut: result.timedOut === true };
}

/** The single value of a record, or `fallback` when the script did not emit it. */
export function field(output: RemoteOutput, key: string, fallback = ''): string {
  return output.fields.get(key)?.[0] ?? fallback;
}
