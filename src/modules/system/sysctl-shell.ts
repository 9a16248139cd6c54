import { captured } from '../../shell/capture.js';
import { Script, sh } from '../../shell/script.js';
import { shlexSplit } from '../../shell/shlex.js';
import type { Userland } from '../../shell/userland.js';
import { splitPy } from '../../template/python/text.js';
import { BIN_PATH } from './bin-path.js';
import { expandedArgv, expandUserFunctions } from './expand.js';

/**
 * The commands sysctl.py runs, per `platform.system()` branch. Each is the string it hands
 * to run_command without the sysctl path: shlex-split there, each word then expanded
 * (`~`, `$VAR`), in the C locale (LANG_ENV) because its stderr is matched.
 */

type Platform = 'openbsd' | 'freebsd' | 'other';

function platformOf(userland: Userland): Platform {
  const system = userland.system.toLowerCase();
  return system === 'openbsd' || system === 'freebsd' ? system : 'other';
}

/** get_token_curr_value: OpenBSD's sysctl has no -e. */
export function queryWords(userland: Userland, name: string): string[] {
  return shlexSplit(platformOf(userland) === 'openbsd' ? `-n ${name}` : `-e -n ${name}`);
}

/** set_token_value: a value with words is double-quoted for shlex. */
export function setWords(userland: Userland, name: string, value: string, ignoreErrors: boolean): string[] {
  const assignment = `${name}=${splitPy(value, null, -1).length > 0 ? `"${value}"` : value}`;
  const platform = platformOf(userland);
  if (platform === 'openbsd') return shlexSplit(assignment);
  if (platform === 'freebsd') return shlexSplit(`${ignoreErrors ? '-i' : ''} ${assignment}`);
  return shlexSplit(`${ignoreErrors ? '-e' : ''} -w ${assignment}`);
}

/** One command sysctl.py runs, and the message its failure starts with. */
export interface SysctlCall {
  /** The program run: null for the sysctl get_bin_path found. */
  program: string | null;
  words: string[];
  failurePrefix: string;
}

export function setCall(userland: Userland, name: string, value: string, ignoreErrors: boolean): SysctlCall {
  return { program: null, words: setWords(userland, name, value, ignoreErrors), failurePrefix: `setting ${name} failed: ` };
}

/**
 * reload_sysctl: `sysctl -p FILE`, except FreeBSD's rc script and OpenBSD's one set per key of
 * the file as it was read (the task's key last, with its new value, when present). macOS's
 * sysctl has no -p: the reload fails there with its usage, as Ansible's does.
 */
export function reloadCalls(userland: Userland, file: string, ignoreErrors: boolean, fileValues: Map<string, string>, wanted: { name: string; value: string; present: boolean }): SysctlCall[] {
  const failurePrefix = 'Failed to reload sysctl: ';
  const platform = platformOf(userland);
  if (platform === 'freebsd') return [{ program: '/etc/rc.d/sysctl', words: ['reload'], failurePrefix }];
  if (platform === 'openbsd') {
    const others = [...fileValues].filter(([key]) => key !== wanted.name).map(([key, value]) => setCall(userland, key, value, ignoreErrors));
    return wanted.present ? [...others, setCall(userland, wanted.name, wanted.value, ignoreErrors)] : others;
  }
  return [{ program: null, words: ignoreErrors ? ['-e', '-p', file] : ['-p', file], failurePrefix }];
}

/**
 * Runs CMD... (set in "$@") in the C locale; when it fails (status, or, as _stderr_failed
 * sees it, sysctl's "setting key" error with status 0), records `step_failed` (the message's
 * start) and its stdout and stderr, and ends the script.
 */
function step(failurePrefix: string): Script {
  const run = captured(Script.raw('"$@"'), { locale: 'C', failingStderr: '^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$', onlyOnFailure: true });
  return Script.concat([run, sh` || { fleet_emit step_failed ${failurePrefix}; exit 0; }`]);
}

const FIND_SYSCTL = Script.raw('fleet_bin_path sysctl || fleet_fail "sysctl is no longer in $fleet_bin_paths"');

/** The calls in order, each ending the script when it fails. */
export function stepsScript(userland: Userland, calls: readonly SysctlCall[]): Script {
  if (calls.length === 0) return Script.raw(':');
  const usesSysctl = calls.some((call) => call.program === null);
  return Script.join([
    BIN_PATH,
    expandUserFunctions(userland),
    ...(usesSysctl ? [FIND_SYSCTL] : []),
    ...calls.flatMap((call) => [expandedArgv(call.program, call.words), step(call.failurePrefix)]),
  ]);
}

/**
 * The read's part: where sysctl is (`missing`: the paths searched) and the key's value in the
 * kernel (`kernel`, with `kernel_rc`; its stderr is not looked at).
 */
export function queryScript(userland: Userland, name: string): Script {
  return Script.join([
    BIN_PATH,
    expandUserFunctions(userland),
    Script.raw('if fleet_bin_path sysctl; then'),
    expandedArgv(null, queryWords(userland, name)),
    Script.raw(`fleet_emit_output kernel env LANG=C LC_ALL=C LC_MESSAGES=C "$@" 2>/dev/null
fleet_emit kernel_rc "$fleet_output_rc"
else fleet_emit missing "$fleet_bin_paths"; fi`),
  ]);
}
