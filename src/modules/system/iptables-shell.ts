import { Script, sh } from '../../shell/script.js';
import type { Userland } from '../../shell/userland.js';
import { BIN_PATH } from './bin-path.js';
import { expandedArgv, expandUserFunctions } from './expand.js';

/**
 * iptables.py's check and change for a rule or a chain as one script: each command's words
 * expanded as run_command expands them. Records `missing` (get_bin_path's paths searched), then
 * `present` (1 or 0: the rule's `-C`, or the chain's `-L`), and for a change that fails
 * (check_rc=True) its `rc`, `stdout`, `stderr` and each `arg`.
 */

// fleet_ipt_step CMD...: runs CMD; when it fails, records its status, output and argv and ends the script.
const STEP = Script.library(`fleet_ipt_step() {
  fleet_io=$(mktemp -d) || exit 1
  "$@" >"$fleet_io/out" 2>"$fleet_io/err" </dev/null
  fleet_rc=$?
  if [ "$fleet_rc" != 0 ]; then
    fleet_emit rc "$fleet_rc"
    fleet_emit_stdout_stderr "$fleet_io/out" "$fleet_io/err"
    rm -rf -- "$fleet_io"
    for fleet_a; do fleet_emit arg "$fleet_a"; done
    exit 0
  fi
  rm -rf -- "$fleet_io"
}`);

/** Whether the command CMD... (set in "$@") succeeds, its output unread (check_rc=False). */
const SUCCEEDS = '"$@" >/dev/null 2>&1 </dev/null';

export interface IptablesPlan {
  /** The words that ask whether the thing is there (`-C RULE`, `-L CHAIN`). */
  query: string[];
  /** The state wanted: the change runs only when `present` differs. */
  wantPresent: boolean;
  /** The change, in order; each word list may be preceded by a guard (`-L CHAIN`: run only when it fails). */
  changes: { unless?: string[]; words: string[] }[];
}

export function iptablesScript(userland: Userland, program: string, plan: IptablesPlan): Script {
  const argv = (words: string[]) => expandedArgv(null, words);
  return Script.join([
    BIN_PATH,
    expandUserFunctions(userland),
    STEP,
    sh`if ! fleet_bin_path ${program}; then fleet_emit missing "$fleet_bin_paths"; exit 0; fi`,
    argv(plan.query),
    Script.raw(`if ${SUCCEEDS}; then fleet_present=1; else fleet_present=0; fi
fleet_emit present "$fleet_present"`),
    Script.raw(`if [ "$fleet_present" = ${plan.wantPresent ? 1 : 0} ]; then exit 0; fi`),
    ...plan.changes.map((change) =>
      change.unless === undefined
        ? Script.join([argv(change.words), Script.raw('fleet_ipt_step "$@"')])
        : Script.join([argv(change.unless), Script.raw(`if ! ${SUCCEEDS}; then`), argv(change.words), Script.raw('fleet_ipt_step "$@"\nfi')]),
    ),
  ]);
}
