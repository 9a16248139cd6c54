import { splitLines } from '../../template/python/text.js';
import { Script, sh } from '../../shell/script.js';
import { field } from '../remote.js';
import type { ModuleResult, RemoteOutput } from '../types.js';

/**
 * Ansible's `_low_level_execute_command` as raw and script use it: shell text run by a shell
 * (`executable -c TEXT`, /bin/sh by default; TEXT is a string or a shell word), output captured, nothing stripped. stdin is
 * /dev/null so the text can never read the connection's own input.
 */
export function lowLevelScript(
  text: string | Script,
  executable: string | null,
  around: { setup?: Script; teardown?: Script } = {},
): Script {
  const word = text instanceof Script ? text : sh`${text}`;
  return Script.join([
    Script.raw('('),
    around.setup ?? Script.raw(':'),
    Script.raw('fleet_out=$(mktemp) && fleet_err=$(mktemp) || exit 1'),
    Script.concat([sh`${executable ?? '/bin/sh'} -c `, word, ' >"$fleet_out" 2>"$fleet_err" </dev/null']),
    Script.raw('fleet_emit rc "$?"; fleet_emit_file stdout "$fleet_out"; fleet_emit_file stderr "$fleet_err"; rm -f "$fleet_out" "$fleet_err"'),
    around.teardown ?? Script.raw(':'),
    Script.raw(')'),
  ]);
}

/** What lowLevelScript's records say: the text's exit status and its output. */
export function lowLevelOutput(output: RemoteOutput): { rc: number; stdout: string; stderr: string } {
  return { rc: Number(field(output, 'rc', String(output.rc))), stdout: field(output, 'stdout'), stderr: field(output, 'stderr') };
}

/** rc/stdout/stdout_lines/stderr/stderr_lines, and Ansible's failure for a non-zero rc. */
export function lowLevelResult(output: RemoteOutput): ModuleResult {
  const { rc, stdout, stderr } = lowLevelOutput(output);
  const result: ModuleResult = { rc, stdout, stdout_lines: splitLines(stdout, false), stderr, stderr_lines: splitLines(stderr, false), changed: true };
  if (rc !== 0) Object.assign(result, { failed: true, msg: 'non-zero return code' });
  return result;
}

/** The action plugin's `stdout_lines`/`stderr_lines`, added whenever a result has stdout/stderr. */
export function addOutputLines(result: ModuleResult): ModuleResult {
  if (typeof result.stdout === 'string' && !('stdout_lines' in result)) result.stdout_lines = splitLines(result.stdout, false);
  if (typeof result.stderr === 'string' && !('stderr_lines' in result)) result.stderr_lines = splitLines(result.stderr, false);
  return result;
}
