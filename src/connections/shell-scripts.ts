/**
 * The POSIX sh that runs on the far side of a connection. Everything here must work in dash,
 * bash-as-sh and macOS /bin/sh (no GNU-only flags); test/connections checks it with
 * `shellcheck -s sh`.
 */

/** Single-quotes a string for sh; every byte except NUL survives. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Defined once per connection in the long-lived shell. `__fleet_run TOKEN SCRIPT` runs SCRIPT
 * in a subshell (so `exit`, `cd`, `set -e`, traps and `exec` stay inside it) with stdin from
 * /dev/null (so it cannot eat the commands that follow), then prints the end marker carrying
 * `$?` on both stdout and stderr. The token is unset inside the subshell so a script that
 * prints its variables cannot forge the marker.
 */
export const SHELL_PRELUDE = `__fleet_run() {
  __fleet_token=$1
  (
    unset __fleet_token
    eval "set --
$2"
  ) </dev/null
  __fleet_rc=$?
  printf '\\n%s:%s\\n' "$__fleet_token" "$__fleet_rc"
  printf '\\n%s:%s\\n' "$__fleet_token" "$__fleet_rc" >&2
}
# Keeps library $2 as the function $1 (see shell-libraries.ts). One that does not parse stays
# undefined, so only the scripts needing it fail: \`command\` keeps eval's syntax error from
# ending this shell (POSIX lets a special builtin run by command not exit; dash and bash
# comply), with no subshell forked to try the text first.
__fleet_define() {
  command eval "$1() {
$2
:
}" >/dev/null 2>&1
}
# uname -snrvm's line, read by the userland probe (shell/userland.ts), which hands it on to
# Gathering Facts. Linux shows its fields (from the reader's UTS namespace, as uname(2) gives
# them) in /proc/sys/kernel, which the shell reads itself; without them (kernel.arch is recent),
# and elsewhere, uname prints it.
if { IFS= read -r __fleet_s < /proc/sys/kernel/ostype && IFS= read -r __fleet_n < /proc/sys/kernel/hostname &&
  IFS= read -r __fleet_r < /proc/sys/kernel/osrelease && IFS= read -r __fleet_v < /proc/sys/kernel/version &&
  IFS= read -r __fleet_m < /proc/sys/kernel/arch; } 2>/dev/null; then
  __fleet_uname="$__fleet_s $__fleet_n $__fleet_r $__fleet_v $__fleet_m"
else
  __fleet_uname=$(uname -snrvm)
fi
# Every Linux base64 (GNU, busybox, toybox) decodes with -d. Elsewhere current BSD's does too,
# but macOS before 13 decodes only with -D (its -d means --debug and still exits 0), so there
# check the decoded text, not the status. The input is a here-document, which the shell
# writes itself: no printf stage forked for a pipe.
case $__fleet_uname in
  'Linux '*) __fleet_b64d=-d ;;
  *)
    if [ "$(base64 -d 2>/dev/null <<'__FLEET_B64_PROBE__'
Zm9v
__FLEET_B64_PROBE__
)" = foo ]; then
      __fleet_b64d=-d
    else
      __fleet_b64d=-D
    fi ;;
esac
`;

/** The line sent to the long-lived shell for one command. */
export function renderRun(token: string, script: string): string {
  return `__fleet_run ${token} ${shQuote(script)}\n`;
}

/**
 * The long-lived shell's pid, framed as a command's answer with end token `token`, but printed
 * by that shell itself: nothing it runs can see the token, so no subshell is needed to hide
 * it, and none is forked. Status 127 and no pid when the prelude left no `__fleet_run` (a
 * shell that is not POSIX enough), which would never answer a command.
 */
export function renderShellPid(token: string): string {
  const quoted = shQuote(token);
  return `if command -v __fleet_run >/dev/null 2>&1; then __fleet_rc=0; printf '%s\\n' "$$"; else __fleet_rc=127; fi
printf '\\n%s:%s\\n' ${quoted} "$__fleet_rc"
printf '\\n%s:%s\\n' ${quoted} "$__fleet_rc" >&2
`;
}

/**
 * Run as a separate process with the long-lived shell's pid as $1: freezes every descendant
 * (so none can fork a replacement or be re-parented while we look), then kills them all.
 * The long-lived shell itself survives and reports the killed command's status, unless $2 is
 * `shell-too`: then it is frozen first, so it reads none of the commands still queued on its
 * stdin, and killed last.
 */
export const KILL_DESCENDANTS = `root=$1
if [ "$2" = shell-too ]; then kill -STOP "$root" 2>/dev/null; fi
descendants() {
  ps -A -o pid= -o ppid= | awk -v root="$root" '
    { parent[$1] = $2 }
    END {
      mark[root] = 1
      do {
        changed = 0
        for (p in parent) if (!(p in mark) && (parent[p] in mark)) { mark[p] = 1; changed = 1 }
      } while (changed)
      for (p in mark) if (p != root) print p
    }'
}
stopped=
rounds=0
while [ "$rounds" -lt 20 ]; do
  rounds=$((rounds + 1))
  fresh=
  for pid in $(descendants); do
    case " $stopped " in
      *" $pid "*) ;;
      *) fresh="$fresh $pid" ;;
    esac
  done
  [ -z "$fresh" ] && break
  # shellcheck disable=SC2086 # word splitting of the pid list is intended
  kill -STOP $fresh 2>/dev/null
  stopped="$stopped $fresh"
done
if [ -n "$stopped" ]; then
  # shellcheck disable=SC2086
  kill -KILL $stopped 2>/dev/null
fi
if [ "$2" = shell-too ]; then kill -KILL "$root" 2>/dev/null; fi
exit 0
`;

/** Reads a file's bytes to stdout; the framing is byte-exact, so no encoding is needed. */
export function renderGet(remotePath: string): string {
  return `cat -- ${shQuote(remotePath)}`;
}

export interface PutScriptInput {
  contentBase64: string;
  remotePath: string;
  tempPath: string;
  mode?: number;
}

const BASE64_LINE = 76;

/**
 * Decodes the content into a temp file beside the target, then renames it over the target so
 * readers never see a partial file. Without an explicit mode an existing file keeps its mode
 * and owner (`cp -p`), and a new one gets the umask default, as a plain write would.
 */
export function renderPut(input: PutScriptInput): string {
  const lines: string[] = [];
  for (let i = 0; i < input.contentBase64.length; i += BASE64_LINE) {
    lines.push(input.contentBase64.slice(i, i + BASE64_LINE));
  }
  const prepare =
    input.mode === undefined ? 'if [ -f "$dest" ]; then cp -p "$dest" "$tmp"; fi' : 'umask 077';
  const setMode = input.mode === undefined ? '' : `chmod ${input.mode.toString(8).padStart(4, '0')} "$tmp"\n`;
  // Base64 never contains "_", so the delimiter cannot occur in the content.
  return `set -e
dest=${shQuote(input.remotePath)}
tmp=${shQuote(input.tempPath)}
trap 'rm -f "$tmp"' EXIT
${prepare}
base64 "$__fleet_b64d" >"$tmp" <<'__FLEET_B64_END__'
${lines.join('\n')}
__FLEET_B64_END__
${setMode}mv -f "$tmp" "$dest"
`;
}
