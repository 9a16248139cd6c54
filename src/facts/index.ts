import { runRemote, type ExecScript } from '../modules/remote.js';
import { parseRecords } from '../modules/remote.js';
import { Script } from '../shell/script.js';
import type { Userland } from '../shell/userland.js';
import { PyDict } from '../template/values.js';
import { dateTimeFacts } from './date_time.js';
import { distributionFacts } from './distribution.js';
import { envFacts } from './env.js';
import type { FactFamily, FamilyOutput } from './family.js';
import { hardwareFacts } from './hardware.js';
import { lsbFacts } from './lsb.js';
import { networkFacts } from './network.js';
import { pkgMgrFacts } from './pkg_mgr.js';
import { platformFacts } from './platform.js';
import { selinuxFacts } from './selinux.js';
import { serviceMgrFacts } from './service_mgr.js';
import { userFacts } from './user.js';

/** Every fact family, in dependency order (pkg_mgr and service_mgr read earlier facts). */
const families: readonly FactFamily[] = [
  platformFacts,
  distributionFacts,
  userFacts,
  envFacts,
  dateTimeFacts,
  hardwareFacts,
  networkFacts,
  lsbFacts,
  selinuxFacts,
  pkgMgrFacts,
  serviceMgrFacts,
];

/**
 * One script gathering every family. Each family runs in its own subshell with its
 * `fleet_emit` records renamed `<family>.<key>`, so families never see each other's output.
 */
export function factsScript(only?: readonly string[]): string {
  return families
    .filter((family) => !only || only.includes(family.name))
    .map((family) => `(\nfleet_emit() { fleet_emit_raw "${family.name}.$1" "$2"; }\nfleet_emit_file() { fleet_emit_file_raw "${family.name}.$1" "$2"; }\nfleet_emit_stdin() { printf '%s=' "${family.name}.$1"; base64 | tr -d '\\n'; printf '\\n'; }\n${family.command}\n) 2>/dev/null`)
    .join('\n')
    .replace(/^/, `fleet_emit_raw() { printf '%s=' "$1"; printf '%s' "$2" | base64 | tr -d '\\n'; printf '\\n'; }
fleet_emit_file_raw() { printf '%s=' "$1"; base64 < "$2" | tr -d '\\n'; printf '\\n'; }
`);
}

/** `ansible_facts` (unprefixed keys) from the stdout of factsScript(). */
export function parseFacts(stdout: string): PyDict {
  const { fields } = parseRecords(stdout);
  return factsFromRecords(fields);
}

export function factsFromRecords(fields: ReadonlyMap<string, string[]>, only?: readonly string[]): PyDict {
  const facts = new PyDict();
  for (const family of families.filter((f) => !only || only.includes(f.name))) {
    const output = new Map<string, string[]>();
    const prefix = `${family.name}.`;
    for (const [key, values] of fields) if (key.startsWith(prefix)) output.set(key.slice(prefix.length), values);
    for (const [key, value] of Object.entries(family.parse(output as FamilyOutput, facts))) facts.set(key, value);
  }
  return facts;
}

/** Gathers all facts of a host in one round trip. */
export async function gatherFacts(exec: ExecScript, userland: Userland): Promise<PyDict> {
  const output = await runRemote(exec, userland, Script.raw(factsScript()));
  return factsFromRecords(output.fields);
}
