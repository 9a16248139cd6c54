import type { Connection } from '../connections/types.js';
import { ConnectionError } from '../errors.js';
import { quote } from '../shell/quote.js';

/**
 * One fleet run at a time per host login, so two runs never interleave their writes: a
 * directory (made once with mkdir, atomic on every POSIX filesystem, macOS included; no
 * flock) holding the pid of the run's long-lived remote shell. The lock lives exactly as long
 * as that shell: when the connection ends the shell exits, and the next run finds the pid
 * gone and takes the lock over, claiming it with an exclusive create (see the script); so
 * nothing has to be released, not even after SIGKILL.
 * The previous run's shell exits a moment after its connection closes, so a run started
 * right after another polls every 0.1 s (GNU and BSD sleep take fractions; a strictly POSIX
 * one falls back to whole seconds) instead of waiting a whole second for it. A shell that has
 * exited but is not yet reaped (a zombie: its sshd session is gone and it waits for init,
 * which in a container may take seconds) answers `kill -0`, so `ps` decides: no process or a
 * zombie means the lock is free (without ps, kill -0 alone decides).
 * The lock belongs to a run, not a connection: two inventory hosts of one run on the same
 * login (two wizards on one VPS) share it instead of waiting for each other. The run's newest
 * shell takes the pid over, so after a reset_connection the lock lives as long as the new
 * connection (the pool closes the old one only after this).
 */
const CLAIMS_KEPT = 16;

const LOCK_SCRIPT = `fl_dir=$HOME/.fleet-lock fl_wait=$1 fl_me=$2 fl_waited=0 fl_claim=''
# The usual lock, left by a run that ended, is taken over in place, starting no process: of
# the runs that find its owner gone, the one whose noclobber redirection (an O_EXCL open)
# creates the claim named after the run and pid they read has it. One that read an older
# owner, whose claim is gone, finds the lock moved on when it reads it again. The pid is
# written before the run, so a run read with an older pid is never seen.
while :; do
  fl_run='' fl_owner='' fl_stale=''
  { read -r fl_run < "$fl_dir/run"; read -r fl_owner < "$fl_dir/pid"; } 2>/dev/null
  if [ "$fl_run" = "$fl_me" ]; then break; fi
  if [ -n "$fl_owner" ]; then
    if ! kill -0 "$fl_owner" 2>/dev/null; then fl_stale=1
    else
      case $(ps -o stat= -p "$fl_owner" 2>/dev/null) in
        *Z*) fl_stale=1 ;;
      esac
    fi
  fi
  if [ -n "$fl_stale" ]; then
    fl_try=$fl_dir/claim.$fl_run.$fl_owner
    set -C
    # On a group, not on \`:\`: a failed redirection of a special builtin would end the shell.
    if { { :; } > "$fl_try"; } 2>/dev/null; then
      set +C
      fl_now_run='' fl_now_owner=''
      { read -r fl_now_run < "$fl_dir/run"; read -r fl_now_owner < "$fl_dir/pid"; } 2>/dev/null
      if [ "$fl_now_run $fl_now_owner" = "$fl_run $fl_owner" ]; then fl_claim=$fl_try; break; fi
    fi
    set +C
  elif [ -z "$fl_run$fl_owner" ] && mkdir "$fl_dir" 2>/dev/null; then break
  fi
  if [ "$fl_waited" -ge "$((fl_wait * 10))" ]; then printf '%s\\n' "$fl_dir" "$fl_owner"; exit 75; fi
  fl_waited=$((fl_waited + 1))
  sleep 0.1 2>/dev/null || { sleep 1; fl_waited=$((fl_waited + 9)); }
done
printf '%s\\n' "$$" > "$fl_dir/pid"
printf '%s\\n' "$fl_me" > "$fl_dir/run"
# Claims of earlier takeovers are removed now and then (one rm per ${CLAIMS_KEPT} runs), all
# but this one, which keeps a run that read the same owner from taking the lock too.
set -- "$fl_dir"/claim.*
if [ "$#" -gt ${CLAIMS_KEPT} ]; then
  for fl_f; do
    shift
    [ "$fl_f" = "$fl_claim" ] || set -- "$@" "$fl_f"
  done
  rm -f -- "$@"
fi`;

/** The script that takes `$HOME/.fleet-lock` for run `runId`, waiting up to `waitSeconds`; exit 75 when it cannot. */
export function renderLock(waitSeconds: number, runId: string): string {
  return `set -- ${Math.max(0, Math.floor(waitSeconds))} ${quote(runId)}\n${LOCK_SCRIPT}`;
}

/** Waits up to `waitSeconds` for the host's lock; a run still holding it then is a clear refusal. */
export async function lockHost(connection: Connection, waitSeconds: number, runId: string): Promise<void> {
  const result = await connection.exec(renderLock(waitSeconds, runId));
  if (result.rc === 0) return;
  const [dir, owner] = result.stdout.trim().split('\n');
  if (result.rc === 75) {
    throw new ConnectionError(`${connection.host}: another fleet run holds ${dir} (its remote shell is pid ${owner || '?'}); gave up after waiting ${waitSeconds} s`);
  }
  throw new ConnectionError(`${connection.host}: cannot take the host lock (rc=${result.rc}): ${result.stderr.trim()}`);
}
