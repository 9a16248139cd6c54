import type { Connection } from '../connections/types.js';
import { ConnectionError } from '../errors.js';
import { quote } from '../shell/quote.js';

/**
 * One fleet run at a time per host login, so two runs never interleave their writes: a
 * directory made with mkdir (atomic on every POSIX filesystem, macOS included; no flock)
 * holding the pid of the run's long-lived remote shell. The lock lives exactly as long as
 * that shell: when the connection ends the shell exits, and the next run finds the pid gone
 * and takes the lock over; so nothing has to be released, not even after SIGKILL.
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
const LOCK_SCRIPT = `fl_dir=$HOME/.fleet-lock fl_waited=0
# The lock is read before mkdir is tried: the usual one, left by a run that ended, then costs
# an rm and a mkdir, without a mkdir that fails first.
while :; do
  fl_run='' fl_owner=''
  { read -r fl_run < "$fl_dir/run"; read -r fl_owner < "$fl_dir/pid"; } 2>/dev/null
  if [ "$fl_run" = "$2" ]; then break; fi
  if [ -n "$fl_owner" ]; then
    if ! kill -0 "$fl_owner" 2>/dev/null; then rm -rf "$fl_dir"
    else
      case $(ps -o stat= -p "$fl_owner" 2>/dev/null) in
        *Z*) rm -rf "$fl_dir" ;;
      esac
    fi
  fi
  mkdir "$fl_dir" 2>/dev/null && break
  if [ "$fl_waited" -ge "$(($1 * 10))" ]; then printf '%s\\n' "$fl_dir" "$fl_owner"; exit 75; fi
  fl_waited=$((fl_waited + 1))
  sleep 0.1 2>/dev/null || { sleep 1; fl_waited=$((fl_waited + 9)); }
done
printf '%s\\n' "$2" > "$fl_dir/run"
printf '%s\\n' "$$" > "$fl_dir/pid"`;

/** Waits up to `waitSeconds` for the host's lock; a run still holding it then is a clear refusal. */
export async function lockHost(connection: Connection, waitSeconds: number, runId: string): Promise<void> {
  const result = await connection.exec(`set -- ${Math.max(0, Math.floor(waitSeconds))} ${quote(runId)}\n${LOCK_SCRIPT}`);
  if (result.rc === 0) return;
  const [dir, owner] = result.stdout.trim().split('\n');
  if (result.rc === 75) {
    throw new ConnectionError(`${connection.host}: another fleet run holds ${dir} (its remote shell is pid ${owner || '?'}); gave up after waiting ${waitSeconds} s`);
  }
  throw new ConnectionError(`${connection.host}: cannot take the host lock (rc=${result.rc}): ${result.stderr.trim()}`);
}
