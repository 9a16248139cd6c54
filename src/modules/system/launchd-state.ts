import { splitLines, stripPy } from '../../template/python/text.js';

/** launchd.py's ServiceState names (LOADED never comes out of `launchctl list`). */
export type ServiceState = 'unknown' | 'loaded' | 'stopped' | 'started' | 'unloaded';

export interface ListedService {
  state: ServiceState;
  pid: string;
  /** The job's last exit status; null when the label is not listed. */
  statusCode: string | null;
}

/** An exception launchd.py does not catch: the task fails as a MODULE FAILURE. */
export class LaunchdCrash extends Error {}

// launchctl(1): a negative status is the signal that ended the job; these are ordinary stops.
const ORDINARY_EXITS = ['0', '-2', '-3', '-9', '-15'];

/** LaunchCtlTask.get_state over `launchctl list` output (`PID\tStatus\tLabel` lines). */
export function listedService(listOutput: string, label: string): ListedService {
  for (const line of splitLines(listOutput, false)) {
    if (!stripPy(line, null, true, true)) continue;
    const fields = line.split('\t');
    if (fields.length !== 3) {
      throw new LaunchdCrash(fields.length < 3 ? `ValueError: not enough values to unpack (expected 3, got ${fields.length})` : 'ValueError: too many values to unpack (expected 3)');
    }
    const [pid, status, listedLabel] = fields as [string, string, string];
    if (stripPy(listedLabel, null, true, true) !== label) continue;
    const state: ServiceState = !ORDINARY_EXITS.includes(status) ? 'unknown' : pid !== '-' ? 'started' : 'stopped';
    return { state, pid, statusCode: status };
  }
  return { state: 'unloaded', pid: '-', statusCode: null };
}

export type LaunchctlVerb = 'load' | 'unload' | 'start' | 'stop';
export type DesiredState = 'started' | 'stopped' | 'restarted' | 'reloaded' | 'unloaded';

/**
 * The launchctl commands launchd.py's LaunchCtl<State>.runCommand runs from `state`; a
 * restart or reload is unload+load (launchd has neither), and a changed plist forces a reload.
 */
export function transition(desired: DesiredState, state: ServiceState, plistChanged: boolean): LaunchctlVerb[] {
  const reload: LaunchctlVerb[] = ['unload', 'load'];
  const reloadUnlessUnloaded = state === 'unloaded' ? ['load' as const] : reload;
  switch (desired) {
    case 'started':
      if (state === 'started') return plistChanged ? [...reload, 'start'] : [];
      if (state === 'unloaded') return ['load', 'start'];
      return [...reload, 'start'];
    case 'stopped':
      if (state === 'stopped') return plistChanged ? [...reload, 'stop'] : [];
      if (state === 'started' || state === 'loaded') return plistChanged ? [...reload, 'stop'] : ['stop'];
      if (state === 'unknown') return [...reload, 'stop'];
      return [];
    case 'reloaded':
      return reloadUnlessUnloaded;
    case 'restarted':
      return [...reloadUnlessUnloaded, 'start'];
    case 'unloaded':
      return ['unload'];
  }
}
