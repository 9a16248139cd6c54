import { captured } from '../../shell/capture.js';
import { Script } from '../../shell/script.js';
import type { Userland } from '../../shell/userland.js';
import { EXEC_FUNCTIONS } from './exec-shell.js';
import { assignLiteral, expandInto, expandUserFunctions } from './expand.js';
import { HOST_CLOCK_FORMAT } from './timestamps.js';

/** What the command/shell module runs on the host, after its arguments were checked. */
export interface CommandPlan {
  argv: string[];
  /** command (not shell): `~` and `$VAR` in argv are expanded, as run_command does. */
  expandArgv: boolean;
  chdir: string | null;
  creates: string | null;
  removes: string | null;
  /** Bytes fed to stdin (newline already added), or null for no stdin. */
  stdin: string | null;
  check: boolean;
}

/**
 * One script doing what modules/command.py does after argument parsing: chdir, the
 * creates/removes skips (globbed, relative to chdir), then the program with its output
 * captured. Records: chdir_errno/chdir, skip/skip_path, exec_errno/arg, start/end/rc/stdout/stderr.
 * No subshell of its own: every connection already runs a script in a shell of its own (the
 * framed shell's subshell, become's `sh`), so its `cd` and `exit` stay there.
 */
export function commandScript(plan: CommandPlan, userland: Userland): Script {
  const steps: Script[] = [expandUserFunctions(userland), EXEC_FUNCTIONS];
  if (plan.chdir !== null) {
    steps.push(expandInto('fleet_dir', plan.chdir));
    // run_command chdirs in Python, so the shell finds the physical directory in $PWD: cd -P.
    steps.push(
      Script.raw(
        'if ! cd -P -- "$fleet_dir" 2>/dev/null; then fleet_emit chdir "$fleet_dir"; fleet_emit chdir_errno "$(fleet_path_errno "$fleet_dir")"; exit 0; fi',
      ),
    );
  }
  if (plan.creates !== null) {
    steps.push(expandInto('fleet_p', plan.creates));
    steps.push(Script.raw('if fleet_glob_exists "$fleet_p"; then fleet_emit skip creates; fleet_emit skip_path "$fleet_p"; exit 0; fi'));
  }
  if (plan.removes !== null) {
    steps.push(expandInto('fleet_p', plan.removes));
    steps.push(Script.raw('if ! fleet_glob_exists "$fleet_p"; then fleet_emit skip removes; fleet_emit skip_path "$fleet_p"; exit 0; fi'));
  }
  if (plan.check) {
    steps.push(Script.raw('exit 0'));
  } else {
    steps.push(Script.raw('set --'));
    for (const arg of plan.argv) {
      steps.push(plan.expandArgv ? expandInto('fleet_a', arg) : assignLiteral('fleet_a', arg));
      steps.push(Script.raw('set -- "$@" "$fleet_a"'));
    }
    steps.push(runArgv(plan.stdin));
  }
  return Script.join(steps);
}

function runArgv(stdin: string | null): Script {
  return Script.join([
    Script.raw('fleet_find_exec "$1"'),
    Script.raw('if [ -z "$fleet_exec" ]; then fleet_emit exec_errno "$fleet_errno"; for fleet_a; do fleet_emit arg "$fleet_a"; done; exit 0; fi'),
    Script.raw('shift'),
    captured(Script.raw('"$fleet_exec" "$@"'), { stdin: stdin === null ? null : Buffer.from(stdin, 'utf8'), clock: HOST_CLOCK_FORMAT }),
  ]);
}
