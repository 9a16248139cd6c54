import { captured } from '../../shell/capture.js';
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

/** Runs CMD... (set in "$@"); when it fails (check_rc=True), records its status, output and argv and ends the script. */
const STEP = Script.concat([captured(Script.raw('"$@"'), { onlyOnFailure: true, argvOnFailure: true }), ' || exit 0']);

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
    sh`if ! fleet_bin_path ${program}; then fleet_emit missing "$fleet_bin_paths"; exit 0; fi`,
    argv(plan.query),
    Script.raw(`if ${SUCCEEDS}; then fleet_present=1; else fleet_present=0; fi
fleet_emit present "$fleet_present"`),
    Script.raw(`if [ "$fleet_present" = ${plan.wantPresent ? 1 : 0} ]; then exit 0; fi`),
    ...plan.changes.map((change) =>
      change.unless === undefined
        ? Script.join([argv(change.words), STEP])
        : Script.join([argv(change.unless), Script.raw(`if ! ${SUCCEEDS}; then`), argv(change.words), STEP, Script.raw('fi')]),
    ),
  ]);
}
