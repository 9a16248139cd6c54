import { ArgumentError } from '../argspec.js';
import { shlexSplit } from '../../shell/shlex.js';
import { sh, Script } from '../../shell/script.js';

/**
 * The `validate` command as shell words: Ansible formats `validate % path` and runs it
 * without a shell (run_command splits it with shlex), so every word is quoted here and the
 * temp file's name is spliced where `%s` stood.
 */
export function validateCommand(validate: string, pathVariable: string): Script {
  if (!validate.includes('%s')) throw new ArgumentError(`validate must contain %s: ${validate}`);
  const words = shlexSplit(validate).map((word) => {
    if (word === '') return sh`${''}`;
    const pieces = word.split(/(%s|%%)/);
    return Script.concat(
      pieces.map((piece) => {
        if (piece === '%s') return Script.raw(`"$${pathVariable}"`);
        if (piece === '%%') return sh`${'%'}`;
        return piece === '' ? '' : sh`${piece}`;
      }),
    );
  });
  return Script.join(words, ' ');
}

/**
 * Runs the validate command on `$fleet_tmp`; on failure removes the temp file and reports
 * Ansible's "failed to validate" with the command's exit status and output.
 */
export function validateStep(validate: string): Script {
  return Script.join([
    Script.raw('if ! { fv_out=$(mktemp) && fv_err=$(mktemp); }; then fleet_fail "could not create temp files for validate"; fi'),
    Script.concat([validateCommand(validate, 'fleet_tmp'), Script.raw(' >"$fv_out" 2>"$fv_err"; fv_rc=$?')]),
    Script.raw(`if [ "$fv_rc" -ne 0 ]; then
  rm -f -- "$fleet_tmp"
  fleet_emit validate_rc "$fv_rc"; fleet_emit_file validate_stdout "$fv_out"; fleet_emit_file validate_stderr "$fv_err"
  rm -f -- "$fv_out" "$fv_err"
  fleet_fail "failed to validate"
fi
rm -f -- "$fv_out" "$fv_err"`),
  ]);
}
