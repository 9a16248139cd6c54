import { field } from '../remote.js';
import type { ModuleResult, RemoteOutput } from '../types.js';
import { osErrorText } from '../os-error.js';
import { formatMode } from './mode.js';

/** The keys Ansible's add_path_info adds for an existing path, from `fleet_path_info` records. */
export function pathInfo(output: RemoteOutput): Record<string, unknown> {
  if (!output.fields.has('pi_uid')) return {};
  const uid = Number(field(output, 'pi_uid'));
  const gid = Number(field(output, 'pi_gid'));
  const owner = field(output, 'pi_owner');
  const group = field(output, 'pi_group');
  return {
    uid,
    gid,
    // GNU stat prints UNKNOWN where Python's pwd lookup fails and Ansible falls back to the id.
    owner: owner === 'UNKNOWN' || owner === '' ? String(uid) : owner,
    group: group === 'UNKNOWN' || group === '' ? String(gid) : group,
    mode: formatMode(field(output, 'pi_mode')),
    state: field(output, 'pi_state'),
    size: Number(field(output, 'pi_size')),
  };
}

function last(output: RemoteOutput, key: string): string | undefined {
  const values = output.fields.get(key);
  return values?.[values.length - 1];
}

/**
 * The `{before: {path, …}, after: {path, …}}` diff the file module builds (initial_diff plus
 * what set_*_if_different record); owner and group are ids, modes `0%03o` strings.
 */
export function attributeDiff(output: RemoteOutput, path: string, states?: { before: string; after: string }) {
  const before: Record<string, unknown> = { path };
  const after: Record<string, unknown> = { path };
  if (states) {
    before['state'] = states.before;
    after['state'] = states.after;
  }
  for (const key of ['owner', 'group'] as const) {
    const was = last(output, `diff_before_${key}`);
    if (was !== undefined) {
      before[key] = Number(was);
      after[key] = Number(last(output, `diff_after_${key}`));
    }
  }
  const modeWas = last(output, 'diff_before_mode');
  if (modeWas !== undefined) {
    before['mode'] = formatMode(modeWas);
    after['mode'] = formatMode(last(output, 'diff_after_mode') ?? '0');
  }
  return { before, after };
}

/** A failure the script reported with `fleet_fail`, or an unexpected exit, as Ansible words it. */
export function scriptFailure(output: RemoteOutput): ModuleResult | null {
  if (output.fields.has('failed')) {
    const failure: ModuleResult = { failed: true, changed: false, msg: field(output, 'msg') };
    if (!output.fields.has('fail_path')) return failure;
    const path = field(output, 'fail_path');
    if (output.fields.has('os_error')) failure.msg = `${failure.msg}: ${osErrorText(field(output, 'os_error'), path)}`;
    return { ...failure, path, ...pathInfo(output) };
  }
  if (output.rc !== 0 || output.timedOut) {
    const detail = output.stderr.trim() || output.stray.trim();
    return { failed: true, changed: false, msg: `MODULE FAILURE: ${detail || `exit status ${output.rc}`}`, rc: output.rc };
  }
  return null;
}

export function changedFlag(output: RemoteOutput): boolean {
  return field(output, 'changed') === '1';
}

/** Turns a result built key by key into a ModuleResult (file-module diffs are dicts, not text). */
export function asResult(result: Record<string, unknown>): ModuleResult {
  return result as ModuleResult;
}
