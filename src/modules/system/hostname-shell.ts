import { HOST_ENTRY_SHELL } from '../../facts/platform.js';
import { captured } from '../../shell/capture.js';
import { Script, sh } from '../../shell/script.js';
import { BIN_PATH } from './bin-path.js';

/**
 * The shell of hostname.py's strategies: a read (what main() and the update methods look at)
 * and a write (the set_* calls), each ending, when it gets that far, with socket.getfqdn()'s
 * lookups for the result's facts.
 */
const LIB = Script.library(`# hn_read KEY PATH: whether PATH is a file (KEY_is_file), and its content (KEY) when it is one
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

/**
 * Runs the found program with `args` as run_command does, its rc, stdout and stderr under
 * `key_`; `stop`: the script ends when it fails.
 */
export function runFound(key: string, args: readonly string[], stop: boolean): Script {
  const run = captured(Script.concat(['"$fleet_bin"', ...args.map((arg) => sh` ${arg}`)]), { prefix: `${key}_`, keepStdout: true });
  return stop ? Script.concat([run, ' || exit 0']) : run;
}

/** Runs `then` when the last run's stdout (trailing newlines cut, where Python strips it) is not `name`. */
export function unlessOutputIs(name: string, then: Script): Script {
  return Script.join([sh`if [ "$fleet_capture_stdout" != ${name} ]; then`, then, Script.raw('fi')]);
}
