import { HOST_ENTRY_SHELL } from '../../facts/platform.js';
import { Script, sh } from '../../shell/script.js';
import { BIN_PATH } from './bin-path.js';

/**
 * The shell of hostname.py's strategies: a read (what main() and the update methods look at)
 * and a write (the set_* calls), each ending, when it gets that far, with socket.getfqdn()'s
 * lookups for the result's facts.
 */
const LIB = Script.library(`# hn_run KEY CMD...: runs CMD; emits its status, stdout and stderr as KEY_rc, KEY_stdout and
# KEY_stderr (as run_command returns them), and keeps its status in hn_rc and its stdout,
# less trailing newlines, in hn_stdout.
hn_run() {
  hn_key=$1; shift
  if ! hn_out=$(mktemp) || ! hn_err=$(mktemp); then fleet_emit error 'fleet could not make a temp file for the output of hostname'; exit 0; fi
  "$@" >"$hn_out" 2>"$hn_err"
  hn_rc=$?
  fleet_emit "\${hn_key}_rc" "$hn_rc"
  fleet_rec_prefix="\${hn_key}_"
  fleet_emit_stdout_stderr "$hn_out" "$hn_err"
  fleet_rec_prefix=''
  hn_stdout=$(cat -- "$hn_out")
  rm -f -- "$hn_out" "$hn_err"
}
# hn_step KEY CMD...: hn_run, ending the script when CMD fails.
hn_step() {
  hn_run "$@"
  [ "$hn_rc" = 0 ] || exit 0
}
# hn_read KEY PATH: whether PATH is a file (KEY_is_file), and its content (KEY) when it is one
# that can be read.
hn_read() {
  if [ -f "$2" ]; then
    fleet_emit "\${1}_is_file" 1
    if [ -r "$2" ]; then fleet_emit_file "$1" "$2"; fi
  fi
}
# hn_write PATH TEXT: PATH now holds TEXT, written in place as Python's open(PATH, 'w') writes
# (a file bind-mounted over /etc/hostname, as in containers, cannot be renamed over); when the
# shell cannot open it, emits its words for why (write_error) and ends the script.
hn_write() {
  if ! hn_said=$( { printf '%s' "$2" >"$1"; } 2>&1 ); then fleet_emit write_path "$1"; fleet_emit write_error "\${hn_said##*: }"; exit 0; fi
}
# hn_find NAME: get_bin_path(NAME, required=True); emits NAME (program) and the paths searched (missing) and ends
# the script when NAME is not found.
hn_find() {
  fleet_bin_path "$1" || { fleet_emit program "$1"; fleet_emit missing "$fleet_bin_paths"; exit 0; }
}
`);

const FQDN = Script.raw(`fleet_nl='
' fleet_nodename=$(uname -n)
fleet_emit nodename "$fleet_nodename"
${HOST_ENTRY_SHELL}`);

/** A script of `steps`, with the library, then getfqdn()'s lookups when the steps all ran. */
export function hostnameScript(steps: readonly Script[]): Script {
  return Script.join([BIN_PATH, LIB, ...steps, FQDN]);
}

/** One file's read, its records under `key`. */
export const readFile = (key: string, path: string): Script => sh`hn_read ${key} ${path}`;

export const writeFile = (path: string, text: string): Script => sh`hn_write ${path} ${text}`;

/** get_bin_path(program, True): the program is then "$fleet_bin". */
export const findProgram = (program: string): Script => sh`hn_find ${program}`;

/** Runs the found program with `args`, its result under `key`; `stop`: the script ends when it fails. */
export function runFound(key: string, args: readonly string[], stop: boolean): Script {
  return Script.concat([stop ? 'hn_step ' : 'hn_run ', sh`${key}`, ' "$fleet_bin"', ...args.map((arg) => sh` ${arg}`)]);
}

/** Runs `then` when the last run's stdout (trailing newlines cut, where Python strips it) is not `name`. */
export function unlessOutputIs(name: string, then: Script): Script {
  return Script.join([sh`if [ "$hn_stdout" != ${name} ]; then`, then, Script.raw('fi')]);
}
