import { captured } from '../../shell/capture.js';
import { Script, sh } from '../../shell/script.js';
import type { Userland } from '../../shell/userland.js';
import { stripPy } from '../../template/python/text.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleResult, RemoteOutput } from '../types.js';
import { BIN_PATH, missingExecutable } from './bin-path.js';
import { expandedArgv, expandUserFunctions } from './expand.js';
import { addOutputLines } from './low-level.js';
import { cleanArgs } from './python-text.js';

/**
 * One AnsibleModule.run_command of a program found by get_bin_path(NAME, required=True): its
 * words expanded (`~`, `$VAR`) on the host, `data` plus a newline on stdin (else /dev/null).
 * Records: `missing` (the paths searched), or `rc`, `stdout`, `stderr`, and when it failed
 * each `arg` of the expanded argv, for the failure's `cmd`.
 */
export function runCommandScript(userland: Userland, program: string, words: readonly string[], data: string | null): Script {
  return Script.join([
    BIN_PATH,
    expandUserFunctions(userland),
    sh`if ! fleet_bin_path ${program}; then fleet_emit missing "$fleet_bin_paths"; exit 0; fi`,
    expandedArgv(null, words),
    captured(Script.raw('"$@"'), { stdin: data === null ? null : Buffer.from(`${data}\n`, 'utf8'), argvOnFailure: true }),
  ]);
}

export interface CommandRun {
  rc: number;
  stdout: string;
  stderr: string;
}

/** The module's failure, ending it (get_bin_path's, run_command's with check_rc). */
export class ModuleExit extends Error {
  constructor(readonly result: ModuleResult) {
    super(String(result.msg));
  }
}

export interface CommandCall {
  program: string;
  words: readonly string[];
  data?: string;
  /** run_command(check_rc=True): a non-zero status is the module's failure. */
  checkRc?: boolean;
  /** The command only reads (see ModuleContext.remote). */
  readOnly?: boolean;
}

/** Runs the call on the host in one round trip; throws ModuleExit where the module would fail. */
export async function runCommand(ctx: ModuleContext, call: CommandCall): Promise<CommandRun> {
  const output = await ctx.remote(runCommandScript(ctx.userland, call.program, call.words, call.data ?? null), { readOnly: call.readOnly === true });
  if (output.fields.has('missing')) throw new ModuleExit({ failed: true, changed: false, msg: missingExecutable(call.program, field(output, 'missing')) });
  if (!output.fields.has('rc')) throw new ModuleExit({ failed: true, changed: false, msg: `fleet could not run ${call.program}: ${output.stderr}` });
  const run = { rc: Number(field(output, 'rc')), stdout: field(output, 'stdout'), stderr: field(output, 'stderr') };
  if (call.checkRc === true && run.rc !== 0) throw new ModuleExit(checkRcFailure(output));
  return run;
}

/** run_command(check_rc=True)'s failure from a script's `rc`, `stdout`, `stderr` and each `arg` of the argv run. */
export function checkRcFailure(output: RemoteOutput): ModuleResult {
  const stderr = field(output, 'stderr');
  // _clean_args of the argv as run, its words expanded.
  const cmd = cleanArgs(output.fields.get('arg') ?? []);
  return addOutputLines({ failed: true, changed: false, cmd, rc: Number(field(output, 'rc')), stdout: field(output, 'stdout'), stderr, msg: stripPy(stderr, null, false, true) });
}
