import { captured } from '../../shell/capture.js';
import { Script, sh } from '../../shell/script.js';
import { ShlexError, shlexSplit } from '../../shell/shlex.js';
import type { Userland } from '../../shell/userland.js';
import { BIN_PATH } from './bin-path.js';
import { expandInto, expandUserFunctions } from './expand.js';
import type { UfwPlan, UfwRule, UfwRun, UfwStep } from './ufw-plan.js';

/**
 * ufw.py's whole run as one script: get_bin_path of ufw then grep (`missing`, `missing_name`),
 * then each step of the plan, its records prefixed `sN_` (N: its index): `rc`, `stdout`,
 * `stderr` of each command (a rule's `ufw --version` under `sN_v_`), `sN_insert` (the position
 * a relative insert got, empty when left out), `sN_comment` (1 when the version takes
 * `comment`), `sN_version_failed`, and `sN_crash` where run_command's shlex.split raises. A
 * command that fails ends the script unless its failure is ignored.
 */

/** Appends the words of `line` to "$@", each expanded as run_command expands it; a line shlex cannot split ends the script. */
function appendWords(line: string, crashKey: string): Script {
  let words: string[];
  try {
    words = shlexSplit(line);
  } catch (error) {
    if (!(error instanceof ShlexError)) throw error;
    return sh`fleet_emit ${crashKey} ${error.message}; exit 0`;
  }
  return Script.join(
    words.map((word) =>
      // expandvars only reads `$`, expanduser a leading `~`: other words go as they are.
      word.includes('$') || word.startsWith('~') ? Script.join([expandInto('fleet_a', word), Script.raw('set -- "$@" "$fleet_a"')]) : sh`set -- "$@" ${word}`,
    ),
  );
}

/** execute(): CMD... (in "$@") with LANG=C, recorded under `prefix`; a failure not ignored ends the script. */
function execute(prefix: string, ignoreError: boolean, keepStdout = false): Script {
  const run = captured(Script.raw('env LANG=C "$@"'), { prefix, keepStdout });
  return Script.concat([run, ignoreError ? ' || :' : ' || exit 0']);
}

const programVar = (program: 'ufw' | 'grep') => (program === 'ufw' ? '"$fleet_ufw"' : '"$fleet_grep"');

function runStep(step: UfwRun, key: string): Script {
  return Script.join([Script.raw(`set -- ${programVar(step.program)}`), appendWords(step.line, `${key}crash`), execute(key, step.ignoreError)]);
}

/**
 * The insert position relative to the numbered status's rules (`[ N] …`, `(v6)` marking IPv6
 * ones), left out (empty) when past the last rule. `ufw status numbered` runs as
 * run_command([ufw, 'status', 'numbered']): its status and stderr unread, LANG as it is.
 */
const RELATIVE_INSERT = `fleet_numbered=$("$fleet_ufw" status numbered 2>/dev/null </dev/null)
fleet_insert_to=$(printf '%s\\n' "$fleet_numbered" | awk -v insert="$1" -v rel="$2" '
/^\\[ *[0-9]+\\] / {
  s = $0; sub(/^\\[ */, "", s); no = s + 0
  if (no > last) last = no
  if (index($0, "(v6)") > 0) has6 = 1
  else { if (!has4 || no > max4) max4 = no; has4 = 1 }
}
END {
  if (rel == "first-ipv4") r = 1
  else if (rel == "last-ipv4") r = has4 ? max4 : 1
  else if (rel == "first-ipv6") r = has4 ? max4 + 1 : 1
  else r = has6 ? last : last + 1
  t = insert + r
  if (t <= last + 0) print t
}')`;

/**
 * ufw_version(): the first line that is not blank must read `ufw…D.D`; as the module's greedy
 * regex reads it, the major version is the one digit before the last dot between digits and the
 * minor the digits after it. Prints 1 (comment supported: after 0.35), 0, or `fail`.
 */
const VERSION = `fleet_comment_ok=$(printf '%s\\n' "$fleet_capture_stdout" | awk '
!found && $0 ~ /[^ \\t\\r\\f\\v]/ { found = 1; line = $0 }
END {
  if (!found || substr(line, 1, 3) != "ufw") { print "fail"; exit }
  for (k = length(line) - 2; k >= 5; k--) {
    if (substr(line, k, 1) ~ /[0-9]/ && substr(line, k + 1, 1) == "." && substr(line, k + 2, 1) ~ /[0-9]/) {
      rest = substr(line, k + 2); match(rest, /^[0-9]+/)
      major = substr(line, k, 1) + 0; minor = substr(rest, 1, RLENGTH) + 0
      print (major > 0 || minor >= 35) ? 1 : 0; exit
    }
  }
  print "fail"
}')`;

function ruleStep(step: UfwRule, key: string): Script {
  const parts: Script[] = [];
  if (step.insert !== null && 'relativeTo' in step.insert) {
    parts.push(Script.concat([sh`set -- ${step.insert.offset} ${step.insert.relativeTo}`, '\n', Script.raw(RELATIVE_INSERT)]));
  } else {
    parts.push(step.insert === null ? Script.raw("fleet_insert_to=''") : sh`fleet_insert_to=${step.insert.at}`);
  }
  parts.push(
    sh`fleet_emit ${`${key}insert`} "$fleet_insert_to"`,
    Script.raw('set -- "$fleet_ufw" --version'),
    execute(`${key}v_`, false, true),
    Script.raw(VERSION),
    sh`if [ "$fleet_comment_ok" = fail ]; then fleet_emit ${`${key}version_failed`} 1; exit 0; fi`,
    sh`fleet_emit ${`${key}comment`} "$fleet_comment_ok"`,
    Script.raw(`set -- "$fleet_ufw"${step.head.map((word) => ` ${word}`).join('')}`),
    Script.raw('if [ -n "$fleet_insert_to" ]; then set -- "$@" insert "$fleet_insert_to"; fi'),
  );
  const rest = appendWords(step.rest, `${key}crash`);
  if (step.comment === null) parts.push(rest);
  else parts.push(Script.join([Script.raw('if [ "$fleet_comment_ok" = 1 ]; then'), appendWords(`${step.rest} ${step.comment}`, `${key}crash`), Script.raw('else'), rest, Script.raw('fi')]));
  parts.push(execute(key, false));
  return Script.join(parts);
}

const stepScript = (step: UfwStep, index: number): Script => (step.kind === 'run' ? runStep(step, `s${index}_`) : ruleStep(step, `s${index}_`));

export function ufwScript(userland: Userland, plan: UfwPlan): Script {
  return Script.join([
    BIN_PATH,
    expandUserFunctions(userland),
    Script.raw(`for fleet_name in ufw grep; do
  if ! fleet_bin_path "$fleet_name"; then fleet_emit missing_name "$fleet_name"; fleet_emit missing "$fleet_bin_paths"; exit 0; fi
  fleet_emit "bin_$fleet_name" "$fleet_bin"
  if [ "$fleet_name" = ufw ]; then fleet_ufw=$fleet_bin; else fleet_grep=$fleet_bin; fi
done`),
    ...plan.steps.map(stepScript),
  ]);
}
