import { Script, sh } from './script.js';

/**
 * run_command on the host: `fleet_capture [OPTION…] -- CMD…` runs CMD with its stdout and
 * stderr captured, then emits its status and output as records `rc`, `stdout` and `stderr`.
 * Its own status is 0 when CMD did not fail, 1 when it did (callers add `|| exit 0` to end
 * the script there); CMD's status stays in `$fleet_capture_rc`. Options (see CaptureOptions):
 *   -p PREFIX  record keys get PREFIX in front
 *   -d BASE64  CMD's stdin is these bytes (else /dev/null)
 *   -l LOCALE  CMD runs with LANG, LC_ALL and LC_MESSAGES set to LOCALE
 *   -e ERE     a line of CMD's stderr matching ERE is a failure too, whatever its status
 *   -t FORMAT  emits `date FORMAT` just before CMD as `start` and just after it as `end`
 *   -F         emits the records only when CMD fails
 *   -a         when CMD fails, also emits each of its words as `arg`
 *   -o         keeps CMD's stdout, less trailing newlines, in `$fleet_capture_stdout`
 * The output goes to a private temp directory: one mktemp, one rm; the script ends with
 * status 1 (mktemp having said why) when none can be made.
 */
const CAPTURE = Script.library(`fleet_capture() {
  fc_prefix='' fc_pipe='' fc_data='' fc_locale='' fc_ere='' fc_clock='' fc_only_failure='' fc_argv='' fc_keep=''
  while [ "$#" -gt 0 ]; do
    case $1 in
      -p) fc_prefix=$2; shift 2 ;;
      -d) fc_pipe=1 fc_data=$2; shift 2 ;;
      -l) fc_locale=$2; shift 2 ;;
      -e) fc_ere=$2; shift 2 ;;
      -t) fc_clock=$2; shift 2 ;;
      -F) fc_only_failure=1; shift ;;
      -a) fc_argv=1; shift ;;
      -o) fc_keep=1; shift ;;
      --) shift; break ;;
      *) break ;;
    esac
  done
  fc_io=$(mktemp -d) || exit 1
  fc_outer_prefix=$fleet_rec_prefix
  fleet_rec_prefix=$fleet_rec_prefix$fc_prefix
  [ -z "$fc_clock" ] || fleet_emit start "$(date "$fc_clock")"
  if [ -n "$fc_pipe" ]; then
    printf '%s' "$fc_data" | fleet_b64d | fleet_capture_in_locale "$@" >"$fc_io/out" 2>"$fc_io/err"
  else
    fleet_capture_in_locale "$@" >"$fc_io/out" 2>"$fc_io/err" </dev/null
  fi
  fleet_capture_rc=$?
  [ -z "$fc_clock" ] || fleet_emit end "$(date "$fc_clock")"
  fc_failed=0
  if [ "$fleet_capture_rc" != 0 ] || { [ -n "$fc_ere" ] && LC_ALL=C grep -Eq -e "$fc_ere" "$fc_io/err"; }; then fc_failed=1; fi
  if [ -z "$fc_only_failure" ] || [ "$fc_failed" = 1 ]; then
    fleet_emit rc "$fleet_capture_rc"
    fleet_emit_stdout_stderr "$fc_io/out" "$fc_io/err"
    if [ -n "$fc_argv" ] && [ "$fc_failed" = 1 ]; then for fc_a; do fleet_emit arg "$fc_a"; done; fi
  fi
  [ -z "$fc_keep" ] || fleet_capture_stdout=$(cat -- "$fc_io/out")
  rm -rf -- "$fc_io"
  fleet_rec_prefix=$fc_outer_prefix
  [ "$fc_failed" = 0 ]
}
fleet_capture_in_locale() {
  if [ -z "$fc_locale" ]; then "$@"; else LANG=$fc_locale LC_ALL=$fc_locale LC_MESSAGES=$fc_locale "$@"; fi
}
`);

export interface CaptureOptions {
  /** In front of every record's key. */
  prefix?: string;
  /** The bytes on the command's stdin (run_command's data); null or none: /dev/null. */
  stdin?: Buffer | null;
  /** LANG, LC_ALL and LC_MESSAGES for the command: a literal, or shell (such as "$fleet_locale"). */
  locale?: string | Script;
  /** An extended regex: a line of stderr matching it makes the run a failure even with status 0. */
  failingStderr?: string;
  /** A `date` format (with its +): `start` and `end` records around the run. */
  clock?: string;
  /** Records only when the run fails. */
  onlyOnFailure?: boolean;
  /** On failure, also each word of the command as `arg` (for run_command's failure `cmd`). */
  argvOnFailure?: boolean;
  /** The stdout, less trailing newlines, in $fleet_capture_stdout afterwards. */
  keepStdout?: boolean;
}

/** `fleet_capture OPTIONS -- COMMAND` (COMMAND: shell words), with the library it needs. */
export function captured(command: Script, options: CaptureOptions = {}): Script {
  const flags: Script[] = [];
  if (options.prefix !== undefined && options.prefix !== '') flags.push(sh` -p ${options.prefix}`);
  if (options.stdin !== undefined && options.stdin !== null) flags.push(sh` -d ${options.stdin.toString('base64')}`);
  if (options.locale !== undefined) flags.push(sh` -l ${options.locale}`);
  if (options.failingStderr !== undefined) flags.push(sh` -e ${options.failingStderr}`);
  if (options.clock !== undefined) flags.push(sh` -t ${options.clock}`);
  if (options.onlyOnFailure === true) flags.push(Script.raw(' -F'));
  if (options.argvOnFailure === true) flags.push(Script.raw(' -a'));
  if (options.keepStdout === true) flags.push(Script.raw(' -o'));
  return Script.concat([CAPTURE, 'fleet_capture', ...flags, ' -- ', command]);
}
