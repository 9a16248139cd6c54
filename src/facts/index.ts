import { runRemote, type ExecScript } from '../modules/remote.js';
import { quote } from '../shell/quote.js';
import { Script } from '../shell/script.js';
import type { Userland } from '../shell/userland.js';
import { PyDict } from '../template/values.js';
import { chrootFacts } from './chroot.js';
import { cmdlineFacts } from './cmdline.js';
import { dateTimeFacts } from './date_time.js';
import { deviceFacts } from './devices.js';
import { distributionFacts } from './distribution.js';
import { dmiFacts } from './dmi.js';
import { dnsFacts } from './dns.js';
import { envFacts } from './env.js';
import type { FactFamily, FamilyOutput } from './family.js';
import { hardwareFacts } from './hardware.js';
import { initiatorFacts } from './initiators.js';
import { DEFAULT_FACT_PATH, localFacts } from './local.js';
import { lsbFacts } from './lsb.js';
import { mountFacts } from './mounts.js';
import { networkFacts } from './network.js';
import { pkgMgrFacts } from './pkg_mgr.js';
import { platformFacts } from './platform.js';
import { securityFacts } from './security.js';
import { selinuxFacts } from './selinux.js';
import { serviceMgrFacts } from './service_mgr.js';
import { familyFiles, fileWords, filesRead } from './host_files.js';
import { FACTS_PREAMBLE } from './shared_shell.js';
import { sshHostKeyFacts } from './ssh_host_keys.js';
import { uptimeFacts } from './uptime.js';
import { virtualFacts } from './virtual.js';
import { userFacts } from './user.js';

/** Every fact family, in dependency order (pkg_mgr, service_mgr, uptime and chroot read earlier facts). */
const FAMILIES: readonly FactFamily[] = [
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
  uptimeFacts,
  cmdlineFacts,
  dnsFacts,
  sshHostKeyFacts,
  dmiFacts,
  securityFacts,
  initiatorFacts,
  virtualFacts,
  mountFacts,
  chrootFacts,
  deviceFacts,
];

/** The families, with the local facts (ansible_local) of setup's fact_path. */
function families(factPath: string): FactFamily[] {
  return [...FAMILIES, localFacts(factPath)];
}

/**
 * Process budget (test/facts/process_budget.test.ts): on a Debian 12 host the whole script
 * starts 10 processes and no subshell: grep (every file the families read, FactFamily.files,
 * in one process: the shell's read builtin makes a system call per byte, 11.3k read() calls
 * per gathering before), getconf LONG_BIT, getent hosts ×2 (fqdn), env -0, date, ip -batch,
 * cksum (lsb_release identified, not run), stat -f (statvfs of the mounts, mounts.ts) and, as
 * root with a bounding set short of all capabilities, capsh (security.ts); a user without
 * capabilities (the sandbox hosts' users) starts 9. getent passwd runs only for a user
 * /etc/passwd lacks. uname's line comes from the userland probe. Where root may open pid 1's
 * environment (not here), tr splits it (virtual.ts). The python probe (python.ts) adds ls,
 * and the interpreter only when its ls line changed. It was 34 before (24 + lsb_release's 10).
 *
 * One script gathering every family, after the shared preamble. Each family's records are
 * named `<family>.<key>`, so families never see each other's output; they run in the same
 * shell (a subshell each would cost a fork), so each sets every variable it reads.
 */
export function factsScript(userland: Pick<Userland, 'uname'>, only?: readonly string[], factPath = DEFAULT_FACT_PATH): string {
  const selected = families(factPath).filter((family) => !only || only.includes(family.name));
  const words = fileWords(selected);
  return [
    `fleet_uname=${quote(userland.uname)}`,
    FACTS_PREAMBLE,
    ...(words.length > 0 ? [`fleet_read_files ${words.join(' ')}`] : []),
    ...selected.filter((family) => family.command !== '').map((family) => `{\nfleet_rec_prefix=${family.name}.\n${family.command}\n} 2>/dev/null`),
    "fleet_rec_prefix=''",
  ].join('\n');
}

/**
 * The families gathering what `collectors` (facts/subsets.ts) return, with the families they
 * read, in dependency order.
 */
export function familiesFor(collectors: ReadonlySet<string>, factPath = DEFAULT_FACT_PATH): string[] {
  const all = families(factPath);
  const wanted = new Set(all.filter((family) => [family.collector, ...Object.values(family.otherCollectors ?? {})].some((name) => collectors.has(name))).map((family) => family.name));
  // FAMILIES lists a family after those it needs, so one pass from the end closes the set.
  for (const family of [...all].reverse()) if (wanted.has(family.name)) for (const need of family.needs ?? []) wanted.add(need);
  return all.filter((family) => wanted.has(family.name)).map((family) => family.name);
}

/**
 * The facts of the families run (all, or `only`); with `collectors`, only the facts those
 * collectors return, though every family run still sees the facts of those before it.
 */
export function factsFromRecords(fields: ReadonlyMap<string, string[]>, only?: readonly string[], factPath = DEFAULT_FACT_PATH, collectors?: ReadonlySet<string>): PyDict {
  const collected = new PyDict();
  const facts = new PyDict();
  const read = filesRead(fields.get('files')?.[0] ?? '');
  const byFamily = recordsByFamily(fields);
  for (const family of families(factPath).filter((f) => !only || only.includes(f.name))) {
    const output = familyFiles(family, read);
    for (const [key, values] of byFamily.get(family.name) ?? []) output.set(key, values);
    for (const [key, value] of Object.entries(family.parse(output as FamilyOutput, collected))) {
      collected.set(key, value);
      if (!collectors || collectors.has(family.otherCollectors?.[key] ?? family.collector)) facts.set(key, value);
    }
  }
  return facts;
}

/** The records named `<family>.<key>`, by family, as [key, values]: one pass over them, not one per family. */
function recordsByFamily(fields: ReadonlyMap<string, string[]>): Map<string, [string, string[]][]> {
  const byFamily = new Map<string, [string, string[]][]>();
  for (const [name, values] of fields) {
    const dot = name.indexOf('.');
    if (dot < 0) continue;
    const family = name.slice(0, dot);
    let records = byFamily.get(family);
    if (records === undefined) byFamily.set(family, (records = []));
    records.push([name.slice(dot + 1), values]);
  }
  return byFamily;
}

/** Gathers all facts of a host in one round trip. */
export async function gatherFacts(exec: ExecScript, userland: Userland): Promise<PyDict> {
  const output = await runRemote(exec, userland, Script.raw(factsScript(userland)));
  return factsFromRecords(output.fields);
}
