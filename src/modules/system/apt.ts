import { factsFromRecords, factsScript } from '../../facts/index.js';
import { Script, sh } from '../../shell/script.js';
import { lenientArgs, type Args, type ArgSpec } from '../argspec.js';
import { paramsInvocation, withoutArgs, type Invocation } from '../invocation.js';
import type { PyDict } from '../../template/values.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { APT_GET, aptErrorText, aptUpdateWithRetries } from './apt-update.js';
import { addOutputLines } from './low-level.js';

// modules/apt.py argument_spec
const spec: ArgSpec = {
  options: {
    state: { type: 'str', default: 'present', choices: ['absent', 'build-dep', 'fixed', 'latest', 'present'] },
    update_cache: { type: 'bool', aliases: ['update-cache'] },
    update_cache_retries: { type: 'int', default: 5 },
    update_cache_retry_max_delay: { type: 'int', default: 12 },
    cache_valid_time: { type: 'int', default: 0 },
    purge: { type: 'bool', default: false },
    package: { type: 'list', elements: 'str', aliases: ['pkg', 'name'] },
    deb: { type: 'path' },
    default_release: { type: 'str', aliases: ['default-release'] },
    install_recommends: { type: 'bool', aliases: ['install-recommends'] },
    force: { type: 'bool', default: false },
    upgrade: { type: 'str', choices: ['dist', 'full', 'no', 'safe', 'yes'], default: 'no' },
    dpkg_options: { type: 'str', default: 'force-confdef,force-confold' },
    autoremove: { type: 'bool', default: false },
    autoclean: { type: 'bool', default: false },
    fail_on_autoremove: { type: 'bool', default: false },
    policy_rc_d: { type: 'int' },
    only_upgrade: { type: 'bool', default: false },
    force_apt_get: { type: 'bool', default: false },
    clean: { type: 'bool', default: false },
    allow_unauthenticated: { type: 'bool', default: false, aliases: ['allow-unauthenticated'] },
    allow_downgrade: { type: 'bool', default: false, aliases: ['allow-downgrade', 'allow_downgrades', 'allow-downgrades'] },
    allow_change_held_packages: { type: 'bool', default: false },
    lock_timeout: { type: 'int', default: 60 },
  },
  mutuallyExclusive: [['deb', 'package', 'upgrade']],
  requiredOneOf: [['autoremove', 'deb', 'package', 'update_cache', 'upgrade']],
};

// Options fleet does not implement: refused before the host is touched.
const UNSUPPORTED: Record<string, (value: unknown) => boolean> = {
  deb: (v) => v !== null,
  default_release: (v) => v !== null,
  upgrade: (v) => v !== 'no',
  autoclean: (v) => v === true,
  clean: (v) => v === true,
  policy_rc_d: (v) => v !== null,
  only_upgrade: (v) => v === true,
  fail_on_autoremove: (v) => v === true,
};

interface CacheUpdate {
  /** cache_valid_time: a cache younger than this is not updated (0: always updated). */
  validSeconds: number;
  retries: number;
  retryMaxDelay: number;
}

/** Per package: dpkg's view (status, version) and apt's candidate; the cache's mtime, before and after an update. */
function probeScript(names: string[], update: CacheUpdate | null, check: boolean): Script {
  const steps: Script[] = [
    Script.raw(`fleet_cache_time() { for fleet_f in /var/lib/apt/periodic/update-success-stamp /var/lib/apt/lists; do
  if [ -e "$fleet_f" ]; then date -r "$fleet_f" +%s 2>/dev/null || stat -f %m "$fleet_f"; return; fi
done; echo 0; }`),
    Script.raw('fleet_before=$(fleet_cache_time); fleet_emit cache_before "$fleet_before"'),
  ];
  if (update) {
    const stale = update.validSeconds > 0 ? `[ $(( $(date +%s) - fleet_before )) -ge ${update.validSeconds} ]` : 'true';
    // apt.py draws the jitter once per run; check mode updates nothing but reports the cache updated.
    const jitter = Math.floor(Math.random() * 1001) / 1000;
    const updating = check ? Script.raw('fleet_emit updated 1') : aptUpdateWithRetries(update.retries, update.retryMaxDelay, jitter);
    steps.push(Script.join([Script.raw(`if ${stale}; then`), updating, Script.raw('fi')]));
    steps.push(Script.raw('fleet_emit cache_after "$(fleet_cache_time)"'));
  }
  for (const name of names) {
    const bare = name.split('=')[0] as string;
    steps.push(
      sh`fleet_emit status "$(dpkg-query -W -f='\${db:Status-Status} \${Version}' ${bare} 2>/dev/null)"`,
      sh`fleet_emit candidate "$(apt-cache policy ${bare} 2>/dev/null | sed -n 's/^ *Candidate: //p')"`,
    );
  }
  return Script.join([Script.raw('('), ...steps, Script.raw(')')]);
}

/** Per-package records, emitted in the order of `names`. */
function records(names: readonly string[], values: readonly string[] | undefined): Map<string, string> {
  return new Map(names.map((name, index) => [name, values?.[index] ?? '']));
}

function runScript(command: string): Script {
  return Script.raw(`(
fleet_out=$(mktemp) && fleet_err=$(mktemp) || exit 1
${command} >"$fleet_out" 2>"$fleet_err" </dev/null; fleet_emit rc "$?"
fleet_emit_file stdout "$fleet_out"; fleet_emit_file stderr "$fleet_err"; rm -f "$fleet_out" "$fleet_err"
)`);
}

/**
 * apt for Debian-family hosts: dpkg-query/apt-cache decide what is missing, apt-get installs or
 * removes exactly those, in at most two round trips (one when nothing changes).
 */
export async function runApt(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const refused = Object.entries(UNSUPPORTED).filter(([key, isSet]) => isSet(args.get(key))).map(([key]) => key);
  if (refused.length > 0) return { failed: true, msg: `fleet's apt module does not support: ${refused.join(', ')}`, changed: false };
  const names = ((args.get('package') as string[] | null) ?? []).map((n) => n.trim()).filter(Boolean);
  const state = args.get('state') as string;
  if (state === 'build-dep' || state === 'fixed') return { failed: true, msg: `fleet's apt module does not support state=${state}`, changed: false };
  const validTime = args.get('cache_valid_time') as number;
  const update =
    args.get('update_cache') === true || validTime > 0
      ? { validSeconds: validTime, retries: args.get('update_cache_retries') as number, retryMaxDelay: args.get('update_cache_retry_max_delay') as number }
      : null;
  const probe = await ctx.remote(probeScript(names, update, ctx.check));
  if (probe.fields.has('update_err')) return { failed: true, msg: `Failed to update apt cache: ${aptErrorText(field(probe, 'update_err')) || 'unknown reason'}`, changed: false };
  const cacheBefore = Number(field(probe, 'cache_before', '0'));
  const cacheTime = Number(field(probe, 'cache_after', String(cacheBefore)));
  // apt.py: an update that left the cache's mtime (whole seconds) as it was updated nothing.
  const cacheUpdated = probe.fields.has('updated') && (ctx.check || cacheTime !== cacheBefore);
  const cache = { cache_updated: cacheUpdated, cache_update_time: cacheTime };
  if (names.length === 0) return { changed: cacheUpdated, ...cache };

  const status = records(names, probe.fields.get('status'));
  const candidate = records(names, probe.fields.get('candidate'));
  const quoted = (list: string[]): string => list.map((n) => `'${n.replace(/'/g, `'"'"'`)}'`).join(' ');
  const dpkg = (args.get('dpkg_options') as string).split(',').map((o) => `-o "Dpkg::Options::=--${o.trim()}"`).join(' ');
  let command: string;
  let failure: (err: string) => string;
  if (state === 'absent') {
    const present = names.filter((n) => (status.get(n) ?? '').startsWith('installed') || (args.get('purge') === true && (status.get(n) ?? '') !== ''));
    if (present.length === 0) return { changed: false };
    const flags = [args.get('purge') === true ? '--purge' : '', args.get('force') === true ? '--force-yes' : '', args.get('autoremove') === true ? '--auto-remove' : '', ctx.check ? '--simulate' : ''];
    command = `${APT_GET} -q -y ${dpkg} ${flags.filter(Boolean).join(' ')} remove ${quoted(present)}`;
    failure = (err) => `'apt-get remove ${quoted(present)}' failed: ${err}`;
  } else {
    for (const name of names) {
      if (!(status.get(name) ?? '').startsWith('installed') && !candidate.get(name)) {
        return { failed: true, msg: `No package matching '${name.split('=')[0]}' is available`, changed: false };
      }
    }
    const wanted = names.filter((name) => {
      const [installed, version] = (status.get(name) ?? '').split(' ');
      const pinned = name.includes('=') ? name.slice(name.indexOf('=') + 1) : null;
      if (installed !== 'installed') return true;
      if (pinned !== null) return !(version ?? '').startsWith(pinned.replace(/\*$/, ''));
      return state === 'latest' && candidate.get(name) !== '(none)' && candidate.get(name) !== version;
    });
    if (wanted.length === 0) return { changed: false, ...cache };
    const recommends = args.get('install_recommends');
    const flags = [
      args.get('force') === true ? '--force-yes' : '',
      args.get('autoremove') === true ? '--auto-remove' : '',
      ctx.check ? '--simulate' : '',
      recommends === false ? '-o APT::Install-Recommends=no' : recommends === true ? '-o APT::Install-Recommends=yes' : '',
      args.get('allow_unauthenticated') === true ? '--allow-unauthenticated' : '',
      args.get('allow_downgrade') === true ? '--allow-downgrades' : '',
      args.get('allow_change_held_packages') === true ? '--allow-change-held-packages' : '',
    ];
    command = `${APT_GET} -y ${dpkg} ${flags.filter(Boolean).join(' ')} install ${quoted(wanted)}`;
    failure = (err) => `'${command.replace(/^\S+ \S+ /, '')}' failed: ${err}`;
  }
  const done = await ctx.remote(runScript(command));
  const [stdout, stderr, rc] = [field(done, 'stdout'), field(done, 'stderr'), Number(field(done, 'rc', '1'))];
  if (rc !== 0) return addOutputLines({ failed: true, msg: failure(stderr), stdout, stderr, rc, changed: false });
  // apt.py returns `diff: {}` outside diff mode; fleet does not parse apt-get's output into one.
  const result: Record<string, unknown> = { changed: true, stdout, stderr, diff: {}, ...(state === 'absent' ? {} : cache) };
  return addOutputLines(result);
}

/** modules/apt.py turns `upgrade: no` into None in its params, so the invocation shows null. */
function aptInvocation(given: PyDict, args: Args): Invocation {
  const invocation = paramsInvocation(spec, given, args);
  if (invocation.module_args.get('upgrade') === 'no') invocation.module_args.set('upgrade', null);
  return invocation;
}

export const apt: ModuleDef = {
  name: 'apt',
  spec,
  supportsCheckMode: true,
  invocation: aptInvocation,
  run: runApt,
};

/** pkg_mgr as the package action learns it when facts were not gathered. */
async function probePkgMgr(ctx: ModuleContext): Promise<string> {
  const families = ['platform', 'distribution', 'pkg_mgr'];
  const facts = factsFromRecords((await ctx.remote(Script.raw(factsScript(ctx.userland, families)), { readOnly: true })).fields, families);
  return String(facts.get('pkg_mgr') ?? 'unknown');
}

/** The package action: apt on apt hosts (pkg_mgr fact), nothing else yet. */
export const packageModule: ModuleDef = {
  name: 'package',
  spec: {
    options: {
      name: { type: 'list', elements: 'str', required: true },
      state: { type: 'str' },
      use: { type: 'str', default: 'auto' },
    },
  },
  supportsCheckMode: true,
  // The package action runs apt with the task's arguments but `use`.
  invocation(given) {
    const aptGiven = withoutArgs(given, ['use']);
    return aptInvocation(aptGiven, lenientArgs(spec, aptGiven));
  },
  async run(args, ctx) {
    const use = args.get('use') as string;
    const manager = use !== 'auto' ? use : (ctx.facts.get('pkg_mgr') ?? (await probePkgMgr(ctx)));
    if (manager !== 'apt') return { failed: true, msg: `fleet's package module supports apt hosts only (pkg_mgr: ${String(manager ?? 'unknown, gather facts first')})`, changed: false };
    const aptArgs: Args = new Map(Object.entries(spec.options).map(([key, option]) => [key, option.default ?? null]));
    aptArgs.set('package', args.get('name') ?? null);
    aptArgs.set('state', args.get('state') ?? 'present');
    return runApt(aptArgs, ctx);
  },
};
