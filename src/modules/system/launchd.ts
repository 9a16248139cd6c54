import { Script, sh } from '../../shell/script.js';
import { shlexSplit, ShlexError } from '../../shell/shlex.js';
import { strRepr } from '../../template/python/repr.js';
import { PyDict } from '../../template/values.js';
import type { Args, ArgSpec } from '../argspec.js';
import { filesLib } from '../files/shell-lib.js';
import { STRERROR } from '../os-error.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { BIN_PATH, missingExecutable } from './bin-path.js';
import { expandInto, expandUserFunctions } from './expand.js';
import { loadPlist, PlistDate, PlistError, plistEqualsBool, PlistReal, plistTruthy, PlistUid, type PlistValue } from './launchd-plist.js';
import { dumpXmlPlist } from './launchd-plist-write.js';
import { LaunchdCrash, listedService, transition, type DesiredState, type LaunchctlVerb, type ListedService } from './launchd-state.js';
import { moduleFailure } from './module-failure.js';

// community.general launchd.py argument_spec (collection 6.x, as Debian's ansible 7 ships it).
export const launchdSpec: ArgSpec = {
  options: {
    name: { type: 'str', required: true },
    state: { type: 'str', choices: ['reloaded', 'restarted', 'started', 'stopped', 'unloaded'] },
    enabled: { type: 'bool' },
    force_stop: { type: 'bool', default: false },
  },
  requiredOneOf: [['state', 'enabled']],
};

// launchctl start/stop return before the job has started or stopped: launchd.py waits this long.
const SETTLE_SECONDS = 5;

/** Where launchd.py's Plist.__find_service_plist looks, in order ($HOME joined as os.path.join does). */
const FIND_PLIST = `case $HOME in '') fleet_agents=Library/LaunchAgents ;; */) fleet_agents=\${HOME}Library/LaunchAgents ;; *) fleet_agents=$HOME/Library/LaunchAgents ;; esac
case $fleet_label in */*) set -- ;; *) set -- "$fleet_agents" /Library/LaunchAgents /Library/LaunchDaemons /System/Library/LaunchAgents /System/Library/LaunchDaemons ;; esac
for fleet_d; do
  fleet_f="$fleet_d/$fleet_label.plist"
  # os.listdir needs a readable directory; a listed name may be a dangling link.
  if [ -d "$fleet_d" ] && [ -r "$fleet_d" ] && { [ -e "$fleet_f" ] || [ -L "$fleet_f" ]; }; then
    fleet_emit plist "$fleet_f"
    if [ -d "$fleet_f" ]; then fleet_emit read_errno 21
    elif ! [ -e "$fleet_f" ]; then fleet_emit read_errno 2
    elif ! [ -r "$fleet_f" ]; then fleet_emit read_errno 13
    else fleet_emit_output plist_b64 base64 < "$fleet_f"
    fi
    break
  fi
done`;

/** `launchctl …` as run_command runs launchd.py's command string: shlex-split, each word expanded. */
function launchctlCall(key: string, argv: readonly string[]): Script {
  return Script.join([
    Script.raw('set --'),
    ...argv.flatMap((word) => [expandInto('fleet_a', word), Script.raw('set -- "$@" "$fleet_a"')]),
    sh`fleet_o=$("$@" 2>"$fleet_e"); fleet_rc=$?; fleet_emit ${`${key}.rc`} "$fleet_rc"; fleet_emit ${`${key}.out`} "$fleet_o"; fleet_emit_file ${`${key}.err`} "$fleet_e"`,
  ]);
}

/** `body` in a subshell with $fleet_e, a temp file for stderr; `first` runs before mktemp (which needs $PATH). */
function withTempErr(ctx: ModuleContext, body: Script[], first: Script[] = []): Script {
  return Script.join([expandUserFunctions(ctx.userland), Script.raw('('), ...first, Script.raw('fleet_e=$(mktemp) || exit 1'), ...body, Script.raw('rm -f "$fleet_e"'), Script.raw(')')]);
}

interface Call {
  rc: string;
  out: string;
  err: string;
}

function callResult(output: RemoteOutput, key: string): Call | null {
  if (!output.fields.has(`${key}.rc`)) return null;
  return { rc: field(output, `${key}.rc`), out: field(output, `${key}.out`), err: field(output, `${key}.err`) };
}

function osError(errno: number, path: string): string {
  return `[Errno ${errno}] ${STRERROR[errno] ?? 'Unknown error'}: ${strRepr(path)}`;
}

function pythonTypeName(value: PlistValue): string {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'int';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof PlistReal) return 'float';
  if (value instanceof PlistDate) return 'datetime.datetime';
  if (value instanceof PlistUid) return 'UID';
  return 'NoneType';
}

/**
 * The plist edits of launchd.py's Plist class: RunAtLoad set to `enabled` when it differs
 * (Python equality: 1 == True), KeepAlive set to false under `force_stop` when it is truthy.
 * The new file's bytes, null when nothing changes, or the task's failure message.
 */
function editPlist(bytes: Buffer, enabled: boolean | null, forceStop: boolean | null, path: string): { content: Buffer | null } | { failure: string } {
  // Only `force_stop: null` written out skips reading: its default (false) still reads the file.
  if (enabled === null && forceStop === null) return { content: null };
  let plist: PlistValue;
  try {
    plist = loadPlist(bytes);
  } catch (error) {
    if (error instanceof PlistError) return { failure: `Failed to read plist file ${path} due to ${error.message}` };
    throw error;
  }
  if (!(plist instanceof Map)) throw new LaunchdCrash(`AttributeError: '${pythonTypeName(plist)}' object has no attribute 'get'`);
  let changed = false;
  if (enabled !== null && !plistEqualsBool(plist.get('RunAtLoad') ?? false, enabled)) {
    plist.set('RunAtLoad', enabled);
    changed = true;
  }
  if (forceStop === true && plistTruthy(plist.get('KeepAlive'))) {
    plist.set('KeepAlive', false);
    changed = true;
  }
  if (!changed) return { content: null };
  try {
    return { content: dumpXmlPlist(plist) };
  } catch (error) {
    if (error instanceof PlistError) return { failure: `Failed to write to plist file  ${path} due to ${error.message}` };
    throw error;
  }
}

/**
 * community.general.launchd: one probe (launchctl path, `launchctl list`, the plist found and
 * read), the plist edits on the controller, then one round trip for the write and the two
 * `list` calls launchd.py makes before acting, and one for the launchctl commands and the
 * final `list` (with launchd.py's 5 s wait after each start/stop).
 */
export async function runLaunchd(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const label = args.get('name') as string;
  const desired = args.get('state') as DesiredState | null;
  const enabled = args.get('enabled') as boolean | null;
  const forceStop = args.get('force_stop') as boolean | null;

  const probe = await ctx.remote(
    withTempErr(
      ctx,
      [
        Script.raw('fleet_o=$("$fleet_bin" list 2>"$fleet_e"); fleet_emit list.rc "$?"; fleet_emit list.out "$fleet_o"; fleet_emit_file list.err "$fleet_e"'),
        sh`fleet_label=${label}`,
        Script.raw(FIND_PLIST),
      ],
      [BIN_PATH, Script.raw('if ! fleet_bin_path launchctl; then fleet_emit missing "$fleet_bin_paths"; exit 0; fi'), Script.raw('fleet_emit launchctl "$fleet_bin"')],
    ),
  );
  if (probe.fields.has('missing')) return { failed: true, msg: missingExecutable('launchctl', field(probe, 'missing')) };
  const launchctl = field(probe, 'launchctl');
  const argvOf = (verb: string, target: string): string[] => shlexSplit(`${launchctl} ${verb} ${target}`);
  const crash = (error: LaunchdCrash): ModuleResult => moduleFailure({ stdout: '', stderr: `Traceback (most recent call last):\n${error.message}\n`, rc: 1 });
  // The Plist class's own `list` has no plist to name in launchd.py's failure message.
  const listedWithoutPlist = (call: Call | null): ListedService => {
    if (!call || call.rc !== '0') throw new LaunchdCrash("AttributeError: 'NoneType' object has no attribute 'get_file'");
    return listedService(call.out, label);
  };

  try {
    listedWithoutPlist(callResult(probe, 'list'));
    const path = probe.fields.has('plist') ? field(probe, 'plist') : null;
    if (path === null) return { failed: true, msg: `Unable to infer the path of ${label} service plist file` };
    const readErrno = field(probe, 'read_errno');
    if (readErrno) return { failed: true, msg: `Failed to read plist file ${path} due to ${osError(Number(readErrno), path)}` };
    const edit = editPlist(Buffer.from(field(probe, 'plist_b64'), 'base64'), enabled, forceStop, path);
    if ('failure' in edit) return { failed: true, msg: edit.failure };
    const plistChanged = edit.content !== null && !ctx.check;
    const launchctlFailure = (verb: string, call: Call): ModuleResult => ({ failed: true, msg: `Unable to ${verb} '${label}' (${path}): '${call.err}'` });

    const before = await ctx.remote(
      withTempErr(ctx, [
        sh`fleet_plist=${path}`,
        plistChanged ? writeStep(ctx, edit.content as Buffer) : Script.raw(':'),
        launchctlCall('list2', argvOf('list', '')),
        ctx.check || desired === null ? Script.raw(':') : launchctlCall('list3', argvOf('list', '')),
      ]),
    );
    const writeErrno = field(before, 'write_errno');
    if (writeErrno) return { failed: true, msg: `Failed to write to plist file  ${path} due to ${osError(Number(writeErrno), path)}` };
    const previous = listedWithoutPlist(callResult(before, 'list2'));
    const result: ModuleResult = { name: label, changed: plistChanged };
    const status = new PyDict([
      ['previous_state', previous.state],
      ['previous_pid', previous.pid],
    ]);
    result.status = status;
    if (ctx.check) {
      status.set('current_state', previous.state).set('current_pid', previous.pid).set('status_code', '0').set('error', '');
      return { ...result, changed: true };
    }
    // tasks[None]: launchd.py looks the action up only after the plist was written.
    if (desired === null) throw new LaunchdCrash('KeyError: None');
    const list3 = callResult(before, 'list3') as Call;
    if (list3.rc !== '0') return launchctlFailure('list', list3);
    const verbs = transition(desired, listedService(list3.out, label).state, plistChanged);

    const after = await ctx.remote(commandsScript(ctx, verbs, argvOf, path, label));
    for (const [index, verb] of verbs.entries()) {
      const call = callResult(after, `step${index}`);
      if (!call) return moduleFailure({ stdout: after.stray, stderr: after.stderr, rc: after.rc });
      if (call.rc !== '0') return launchctlFailure(verb, call);
    }
    const list4 = callResult(after, 'list4') as Call;
    if (list4.rc !== '0') return launchctlFailure('list', list4);
    const current = listedService(list4.out, label);
    status.set('current_state', current.state).set('current_pid', current.pid).set('status_code', current.statusCode).set('error', list4.err);
    if (current.state !== previous.state || current.pid !== previous.pid) result.changed = true;
    return result;
  } catch (error) {
    if (error instanceof LaunchdCrash) return crash(error);
    if (error instanceof ShlexError) return crash(new LaunchdCrash(`ValueError: ${error.message}`));
    throw error;
  }
}

/** Each launchctl command in order, stopping at the first that fails; the final `list` last. */
function commandsScript(ctx: ModuleContext, verbs: readonly LaunchctlVerb[], argvOf: (verb: string, target: string) => string[], path: string, label: string): Script {
  return withTempErr(ctx, [
    ...verbs.map((verb, index) =>
      Script.join([
        launchctlCall(`step${index}`, argvOf(verb, verb === 'load' || verb === 'unload' ? path : label)),
        Script.raw('[ "$fleet_rc" = 0 ] || exit 0'),
        verb === 'start' || verb === 'stop' ? Script.raw(`sleep ${SETTLE_SECONDS}`) : Script.raw(':'),
      ]),
    ),
    launchctlCall('list4', argvOf('list', '')),
  ]);
}

/** The plist written as plistlib would (through the link, as open() follows it), but atomically. */
function writeStep(ctx: ModuleContext, content: Buffer): Script {
  const encoded = content.toString('base64').replace(/.{1,76}/g, '$&\n');
  return Script.join([
    filesLib(ctx.userland),
    Script.raw('fleet_realpath "$fleet_plist"'),
    Script.raw(`if ! [ -w "$fleet_real" ] || ! fleet_atomic_write "$fleet_real" <<'FLEET_PLIST_END'; then fleet_emit write_errno 13; exit 0; fi\n${encoded}FLEET_PLIST_END`),
  ]);
}

export const launchd: ModuleDef = {
  name: 'community.general.launchd',
  spec: launchdSpec,
  supportsCheckMode: true,
  run: runLaunchd,
};
