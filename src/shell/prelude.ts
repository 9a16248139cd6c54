import { EMIT_FUNCTIONS } from './records.js';
import type { Userland } from './userland.js';

/**
 * Shell functions every module script may call, rendered for the host's userland. Module
 * scripts report back only through `fleet_emit*` (records.ts), so command output, newlines
 * and odd bytes can never be mistaken for a result.
 */
export function prelude(userland: Userland): string {
  // A pure function of three fields with twelve possible values, sent with every command: the
  // same string each time, so the connection's library lookup does not hash a new copy.
  const key = `${userland.stat} ${userland.sha1} ${userland.base64Decode}`;
  let text = rendered.get(key);
  if (text === undefined) {
    text = renderPrelude(userland);
    rendered.set(key, text);
  }
  return text;
}

const rendered = new Map<string, string>();

function renderPrelude(userland: Userland): string {
  const statFormat =
    userland.stat === 'gnu' ? "stat -c '%a %u %g %U %G %s %Y'" : "stat -f '%Lp %u %g %Su %Sg %z %m'";
  // Sets fleet_sha1_hex (empty when unreadable): the first word of sha1sum's or shasum's
  // output or the last of openssl's, cut in the shell, so no cut, sed or subshell is forked.
  const sha1 =
    userland.sha1 === 'sha1sum'
      ? 'fleet_sha1_hex=$(sha1sum < "$1") || fleet_sha1_hex=\'\'; fleet_sha1_hex=${fleet_sha1_hex%% *}'
      : userland.sha1 === 'shasum'
        ? 'fleet_sha1_hex=$(shasum -a 1 < "$1") || fleet_sha1_hex=\'\'; fleet_sha1_hex=${fleet_sha1_hex%% *}'
        : 'fleet_sha1_hex=$(openssl sha1 < "$1") || fleet_sha1_hex=\'\'; fleet_sha1_hex=${fleet_sha1_hex##* }';
  return `${EMIT_FUNCTIONS}fleet_b64d() { base64 ${userland.base64Decode}; }
fleet_sha1() { ${sha1}; }
fleet_stat() {
  fleet_type=absent fleet_mode='' fleet_uid='' fleet_gid='' fleet_owner='' fleet_group='' fleet_size='' fleet_mtime=''
  if [ -L "$1" ]; then fleet_type='link'; elif [ -d "$1" ]; then fleet_type=directory; elif [ -f "$1" ]; then fleet_type='file'; elif [ -e "$1" ]; then fleet_type=other; else return 1; fi
  # shellcheck disable=SC2046
  set -- $(${statFormat} "$1")
  case $1 in ?) fleet_mode=000$1 ;; ??) fleet_mode=00$1 ;; ???) fleet_mode=0$1 ;; *) fleet_mode=$1 ;; esac
  fleet_uid=$2 fleet_gid=$3 fleet_owner=$4 fleet_group=$5 fleet_size=$6 fleet_mtime=$7
}
# Sets fleet_new_mode: a new file's mode (0666 less the umask) as four octal digits, formatted
# by the shell's arithmetic rather than a printf in a subshell.
fleet_new_file_mode() {
  fleet_new_mode=$(( 0666 & ~0$(umask) ))
  fleet_new_mode=0$(( fleet_new_mode >> 6 & 7 ))$(( fleet_new_mode >> 3 & 7 ))$(( fleet_new_mode & 7 ))
}
fleet_atomic_write() {
  fleet_dest=$1
  case $fleet_dest in */*) fleet_dest_dir=\${fleet_dest%/*}; [ -n "$fleet_dest_dir" ] || fleet_dest_dir=/ ;; *) fleet_dest_dir=. ;; esac
  fleet_tmp=$(mktemp "$fleet_dest_dir/.fleet.XXXXXX") || return 1
  if ! fleet_b64d > "$fleet_tmp"; then rm -f "$fleet_tmp"; return 1; fi
  if fleet_stat "$fleet_dest"; then
    chmod "$fleet_mode" "$fleet_tmp" && { [ "$(id -u)" != 0 ] || chown "$fleet_uid:$fleet_gid" "$fleet_tmp"; }
  else
    fleet_new_file_mode && chmod "$fleet_new_mode" "$fleet_tmp"
  fi || { rm -f "$fleet_tmp"; return 1; }
  mv -f "$fleet_tmp" "$fleet_dest" || { rm -f "$fleet_tmp"; return 1; }
}
`;
}
