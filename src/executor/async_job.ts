import { randomInt } from 'node:crypto';
import { KILL_DESCENDANTS } from '../connections/shell-scripts.js';
import { Script, sh } from '../shell/script.js';

/**
 * A task's `async:` job on the host, as ansible-core 2.14's async_wrapper runs one: the job
 * file `<async_dir>/<jid>` first holds `{"started": 1, "finished": 0, …}`, the job runs
 * detached from the connection (HUP ignored, reparented to init, so neither the channel
 * going on nor closing stops it) and replaces the file with its result when done, each write
 * a temp file renamed over it. A watcher stops the job as the wrapper's does: it sleeps one
 * WATCH_STEP, then counts the limit down a step per step while the job runs; once it is used
 * up it writes `{"msg": "Timeout exceeded", "failed": true, "child_pid": PID}` and kills the job's process
 * tree. The result is the module script's records (module scripts report only through
 * them), framed by the script's nonce, which the first line names, for async_status to read.
 */

/** async_wrapper.py's `step`: how often the watcher looks at the time limit. */
export const WATCH_STEP_SECONDS = 5;

/** Ansible's async_dir default (the sh shell plugin's option). */
export const DEFAULT_ASYNC_DIR = '~/.ansible_async';

/** The first line of a job file that holds a finished module's records: `fleet-async-result NONCE`. */
export const RESULT_HEADER = 'fleet-async-result ';

/** `$fleet_ad`: an async_dir with a leading `~` expanded as os.path.expanduser expands it for the current user. */
const ASYNC_DIR = Script.library(`# shellcheck disable=SC2088 # a literal ~ is looked for, and replaced by $HOME
fleet_async_dir() {
  case $1 in
    '~') fleet_ad=$HOME ;;
    '~/'*) fleet_ad=$HOME/\${1#'~/'} ;;
    *) fleet_ad=$1 ;;
  esac
}`);

/** Writes the finished job's file: $1 the job file, $2 the module script's status, $3 its records' nonce, $4 the module, $5 its arguments as JSON. */
const FINISH = Script.library(`fleet_async_finish() {
  {
    printf '${RESULT_HEADER}%s\\n' "$3"
    cat -- "$1.out"
    fleet_emit async_rc "$2"
    fleet_emit_file async_stderr "$1.err"
    fleet_emit async_module "$4"
    fleet_emit async_args "$5"
  } >"$1.tmp" && mv -f -- "$1.tmp" "$1"
  rm -f -- "$1.out" "$1.err"
}`);

/**
 * The watcher (async_wrapper's loop: sleep a step, then sleep and count down while the job
 * runs): $1 the job file, $2 the job's pid, $3 the time limit, $4 the step, $5 the script that
 * kills a process tree.
 */
const WATCH = Script.library(`fleet_async_watch() {
  fleet_left=$3
  sleep "$4"
  while :; do
    sleep "$4"
    fleet_left=$((fleet_left - $4))
    [ "$fleet_left" -le 0 ] && break
  done
  printf '{"msg": "Timeout exceeded", "failed": true, "child_pid": %s}' "$2" >"$1.kill" && mv -f -- "$1.kill" "$1"
  sh -c "$5" fleet-async-kill "$2" shell-too
}`);

export interface AsyncLaunch {
  /** The module's script, run as the job. */
  module: Script;
  /** The module's name and its arguments as JSON, kept in the job file for async_status to interpret the records. */
  moduleName: string;
  argsJson: string;
  asyncDir: string;
  limitSeconds: number;
  stepSeconds?: number;
}

/**
 * Starts the job and reports `jid` and `results_file` (or `mkdir_failed` / `write_failed`).
 * The jid is Ansible's `j<random up to 12 digits>.<pid>`, the pid being the launching shell's.
 */
export function launchScript(job: AsyncLaunch): Script {
  const digits = String(randomInt(0, 1_000_000_000_000));
  return Script.concat([
    Script.join([ASYNC_DIR, FINISH, WATCH]),
    sh`
# shellcheck disable=SC2088 # expanded by fleet_async_dir
fleet_async_dir ${job.asyncDir}
if ! mkdir -p -- "$fleet_ad" 2>/dev/null; then fleet_emit mkdir_failed "$fleet_ad"; exit 0; fi
fleet_jid=j${digits}.$$
fleet_job=$fleet_ad/$fleet_jid
if ! { printf '{"started": 1, "finished": 0, "ansible_job_id": "%s"}' "$fleet_jid" >"$fleet_job.tmp" && mv -f -- "$fleet_job.tmp" "$fleet_job"; } 2>/dev/null; then
  fleet_emit write_failed "$fleet_job"; exit 0
fi
# shellcheck disable=SC2016 # a script for sh -c, expanded there
fleet_kill_tree=${KILL_DESCENDANTS}
( ( trap '' HUP
  ( (
`,
    job.module,
    // The middle subshell exits at once: the watcher is left to init, no child of the connection's shell.
    sh`
    ) >"$fleet_job.out" 2>"$fleet_job.err"
    fleet_async_finish "$fleet_job" "$?" "$fleet_rec" ${job.moduleName} ${job.argsJson}
  ) &
  fleet_pid=$!
  fleet_async_watch "$fleet_job" "$fleet_pid" ${job.limitSeconds} ${job.stepSeconds ?? WATCH_STEP_SECONDS} "$fleet_kill_tree" &
  fleet_watch=$!
  wait "$fleet_pid"
  kill "$fleet_watch" 2>/dev/null
  rm -f -- "$fleet_job.out" "$fleet_job.err"
) & ) </dev/null >/dev/null 2>&1
fleet_emit jid "$fleet_jid"
fleet_emit results_file "$fleet_job"
`,
  ]);
}

/**
 * async_status on the host: `dir` (the expanded async_dir), then `missing`, or the job file's
 * bytes as `content` (status) or its removal (cleanup).
 */
export function statusScript(jid: string, mode: 'status' | 'cleanup', asyncDir: string): Script {
  return Script.join([
    ASYNC_DIR,
    Script.raw('# shellcheck disable=SC2088 # expanded by fleet_async_dir'),
    sh`fleet_async_dir ${asyncDir}`,
    Script.raw('fleet_emit dir "$fleet_ad"'),
    sh`fleet_job=$fleet_ad/${jid}`,
    Script.raw('if [ ! -e "$fleet_job" ]; then fleet_emit missing 1; exit 0; fi'),
    Script.raw(mode === 'cleanup' ? 'rm -f -- "$fleet_job"' : 'fleet_emit_file content "$fleet_job"'),
  ]);
}
