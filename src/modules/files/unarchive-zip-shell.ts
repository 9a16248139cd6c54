import { sh, Script } from '../../shell/script.js';
import type { Userland } from '../../shell/userland.js';

/** What the zip handlers take from the task (ZipArchive's params). */
export interface ZipPlan {
  extraOpts: readonly string[];
  /** As given: ZipArchive, unlike TgzArchive, keeps a trailing `/`. */
  excludes: readonly string[];
  includes: readonly string[];
}

/**
 * One line per member zipinfo lists that is_unarchived looks at: `CRC KIND MODE SIZE STAMP
 * NAME`. CRC comes from `unzip -v` (the first file), as ZipFile's infolist gives it; KIND is
 * d, L or f (a KIND of `!` carries the permission string zipinfo printed that Ansible
 * refuses, in MODE); MODE is the octal mode _permstr_to_octal makes, FAT permissions
 * widened and masked by the umask `um`. Lines that are not members (headers, totals) are
 * skipped by Ansible's tests: eight fields, a 7- or 10-character type, a 15-character time.
 */
const MEMBERS_AWK = `function rest(line,  i) {
  for (i = 0; i < 7; i++) sub(/^[ \\t]*[^ \\t]+[ \\t]+/, "", line)
  return line
}
function octal(text,  i, n) {
  n = 0
  for (i = 1; i <= length(text); i++) n = n * 8 + substr(text, i, 1)
  return n
}
BEGIN { kind = "f"; mask = octal(um) }
FILENAME == ARGV[1] {
  if (NF >= 8 && $7 ~ /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]$/) crc[rest($0)] = $7
  next
}
NF < 8 || (length($1) != 7 && length($1) != 10) || length($7) != 15 || $1 !~ /^[-dl?][-rwxstah]*$/ { next }
{
  name = rest($0); type = substr($1, 1, 1); perm = substr($1, 2); umask = 0
  if (substr(name, length(name)) == "/") kind = "d"
  else if (type == "l") kind = "L"
  else if (type == "-" || type == "?") kind = "f"
  if (length(perm) == 6) {
    if (substr(name, length(name)) == "/" || perm == "rwx---") perm = "rwxrwxrwx"
    else perm = "rw-rw-rw-"
    umask = mask
  }
  if (type == "?") umask = 0
  if (perm !~ /^[-r][-w][-SsTtx][-r][-w][-SsTtx][-r][-w][-SsTtx]$/) { print "- ! " perm " 0 0 " name; next }
  mode = 0
  for (i = 1; i <= 9; i++) {
    bit = 2 ^ (9 - i)
    if (index("rwxst", substr(perm, i, 1)) && int(umask / bit) % 2 == 0) mode += bit
  }
  print ((name in crc) ? crc[name] : "-") " " kind " " sprintf("%o", mode) " " $4 " " $7 " " name
}`;

/**
 * ZipArchive and ZipZArchive (modules/unarchive.py) on the host, as functions the unarchive
 * script calls with its ua_* variables set:
 * - ua_zip_probe: their can_handle_archive (unzip and zipinfo found, `unzip -l` reads the
 *   archive; without zipinfo, `unzip -Z` stands in), each failure a `reason` record;
 * - ua_zip_compare: is_unarchived over the member lines (MEMBERS_AWK) of `zipinfo -T -s`'s
 *   listing in $ua_tmp/zout, comparing each member's type, mtime (keep_newer: a newer file is
 *   left alone and excluded), size, CRC32 (gzip's trailer holds the file's), permissions
 *   and owner (uids and gids); each difference is a `zip_diff` line of its itemized diff,
 *   each newer file a line of $ua_tmp/newer.
 */
export function zipLibrary(userland: Userland): Script {
  // Mode, uid, gid, size, then the mtime as local date and time with its nanoseconds (BSD's
  // after the epoch seconds %Fm prints: only the digits after the last dot are read).
  const statCall = userland.stat === 'gnu' ? `stat -c '%a %u %g %s %y'` : `stat -t '%Y-%m-%d %H:%M:%S' -f '%Lp %u %g %z %Sm.%Fm'`;
  return Script.library(`ua_zip_probe() {
  ua_unzip='' ua_zipinfo=''
  if fleet_bin_path unzip; then ua_unzip=$fleet_bin; fi
  if fleet_bin_path zipinfo; then ua_zipinfo=$fleet_bin; fi
  ua_listed=''
  if [ -n "$ua_unzip" ]; then
    ua_listed=0
    "$ua_unzip" -l "$ua_src" >/dev/null 2>"$ua_tmp/err" || ua_listed=1
    ua_err=$(cat -- "$ua_tmp/err"; printf x)
  fi
  if [ -z "$ua_unzip$ua_zipinfo" ]; then fleet_emit reason "Unable to find required 'unzip' or 'zipinfo' binary in the path."
  elif [ -z "$ua_unzip" ]; then fleet_emit reason "Unable to find required 'unzip' binary in the path."
  elif [ -z "$ua_zipinfo" ]; then fleet_emit reason "Unable to find required 'zipinfo' binary in the path."
  elif [ "$ua_listed" = 0 ]; then ua_handler=ZipArchive; fleet_emit handler ZipArchive; return 0
  fi
  if [ -z "$ua_unzip" ]; then fleet_emit reason "Unable to find required 'unzip' or 'unzip' binary in the path."; return 0; fi
  if [ "$ua_listed" != 0 ]; then fleet_emit reason "Command \\"$ua_unzip\\" could not handle archive: \${ua_err%x}"; return 0; fi
  ua_err=$("$ua_unzip" -Z 2>&1 >"$ua_tmp/out"; printf x)
  if tr '[:upper:]' '[:lower:]' <"$ua_tmp/out" | grep -q zipinfo; then ua_handler=ZipZArchive ua_zipinfo=$ua_unzip; fleet_emit handler ZipZArchive; return 0; fi
  fleet_emit reason "Command \\"unzip -Z\\" could not handle archive: \${ua_err%x}"
}
uz_stat() { uz_st=$(${statCall} -- "$1" 2>/dev/null); }
# is_unarchived's owners: the uid and gid each path should have (the task's, else the user's).
uz_whoami() {
  uz_run_uid=$(id -u) uz_run_gid=$(id -g)
  uz_fut_uid=$uz_run_uid uz_fut_gid=$uz_run_gid
  if [ -n "$fleet_want_owner" ]; then uz_fut_uid=$(id -u -- "$fleet_want_owner" 2>/dev/null) || uz_fut_uid=$uz_run_uid; fi
  if [ -n "$fleet_want_group" ]; then
    uz_fut_gid=$(fleet_gid_of "$fleet_want_group" 2>/dev/null)
    case $uz_fut_gid in
      '' | *[!0-9]*) case $fleet_want_group in *[!0-9]*) uz_fut_gid=$uz_run_gid ;; *) uz_fut_gid=$fleet_want_group ;; esac ;;
    esac
  fi
}
uz_diff() { fleet_emit zip_diff "$1 $2"; ua_zip_changed=1; }
ua_zip_compare() {
  ua_zip_changed=0 uz_run_uid=''
  : >"$ua_tmp/newer"
  while read -r uz_crc uz_kind uz_mode uz_size uz_ts uz_path; do
    ! uz_excluded "$uz_path" || continue
    [ "$uz_kind" != '!' ] || ua_fail "ZIP info perm format incorrect, $uz_mode"
    case $uz_path in /*) uz_file=$uz_path ;; *) uz_file=\${ua_dest%/}/$uz_path ;; esac
    if ! [ -e "$uz_file" ] && ! [ -L "$uz_file" ]; then uz_diff ">$uz_kind++++++.??" "$uz_path"; continue; fi
    case $uz_kind in
      d) if ! [ -d "$uz_file" ] || [ -L "$uz_file" ]; then uz_diff "c$uz_kind++++++.??" "$uz_path"; continue; fi ;;
      L) if ! [ -L "$uz_file" ]; then uz_diff "c$uz_kind++++++.??" "$uz_path"; continue; fi ;;
      *) if ! [ -f "$uz_file" ] || [ -L "$uz_file" ]; then uz_diff "c$uz_kind++++++.??" "$uz_path"; continue; fi ;;
    esac
    uz_stat "$uz_file" || ua_fail "Unexpected error when accessing exploded file: $uz_file"
    set -f
    # shellcheck disable=SC2086
    set -- $uz_st
    set +f
    uz_fmode=$1 uz_fuid=$2 uz_fgid=$3 uz_fsize=$4 uz_fday=$5 uz_ftime=$6
    uz_c=. uz_s=. uz_t=. uz_p=. uz_o=. uz_change=0
    if [ "$uz_kind" = f ]; then
      # Ansible compares mktime of the member's local time with st_mtime; fleet compares the
      # local times themselves, as YYYYMMDDhhmmss numbers, then the file's fraction of a second.
      uz_zip=\${uz_ts%.*}\${uz_ts#*.} uz_hms=\${uz_ftime%%.*}
      uz_y=\${uz_fday%%-*} uz_md=\${uz_fday#*-} uz_h=\${uz_hms%%:*} uz_ms=\${uz_hms#*:}
      uz_local=$uz_y\${uz_md%-*}\${uz_md#*-}$uz_h\${uz_ms%:*}\${uz_ms#*:} uz_order=same
      if [ "$uz_local" -lt "$uz_zip" ]; then uz_order=older
      elif [ "$uz_local" -gt "$uz_zip" ]; then uz_order=newer
      else case \${uz_ftime##*.} in *[1-9]*) uz_order=newer ;; esac
      fi
      if [ "$ua_keep_newer" = 1 ] && [ "$uz_order" = newer ]; then printf '%s\\n' "$uz_path" >>"$ua_tmp/newer"; continue; fi
      if [ "$uz_order" != same ]; then uz_change=1 uz_t=t; fi
      if [ "$uz_size" != "$uz_fsize" ]; then uz_change=1 uz_s=s; fi
      uz_sum=$(gzip -1 -c <"$uz_file" 2>/dev/null | tail -c 8 | od -An -tx1 -N4)
      set -f
      # shellcheck disable=SC2086
      set -- $uz_sum
      set +f
      if [ "$4$3$2$1" != "$uz_crc" ]; then uz_change=1 uz_c=c; fi
    fi
    if [ "$uz_kind" != L ]; then
      if [ "$fleet_has_mode" = 1 ]; then
        uz_dir=0; if [ "$uz_kind" = d ]; then uz_dir=1; fi
        fleet_mode_want "$uz_fmode" "$uz_dir"; uz_mode=$fleet_mode_wanted
      fi
      if [ $((0$uz_mode)) -ne $((0$uz_fmode)) ]; then uz_change=1 uz_p=p; fi
    fi
    [ -n "$uz_run_uid" ] || uz_whoami
    if [ "$uz_run_uid" != 0 ] && [ "$uz_fut_uid" != "$uz_run_uid" ]; then
      ua_fail "Cannot change ownership of $uz_path to $fleet_want_owner, as user $(id -un)"
    fi
    if [ "$uz_fuid" != "$uz_fut_uid" ]; then uz_change=1 uz_o=o; fi
    if [ "$uz_run_uid" != 0 ] && [ "$uz_fut_gid" != "$uz_run_gid" ]; then
      case " $(id -G) " in *" $uz_fut_gid "*) ;; *) ua_fail "Cannot change group ownership of $uz_path to $fleet_want_group, as user $(id -un)" ;; esac
    fi
    if [ "$uz_fgid" != "$uz_fut_gid" ]; then uz_change=1 uz_o=g; fi
    if [ "$uz_change" = 1 ]; then uz_diff ".$uz_kind$uz_c$uz_s$uz_t$uz_p$uz_o..??" "$uz_path"; fi
  done <"$ua_tmp/members"
}
ua_zip_members() {
  "$ua_unzip" -v "$ua_src" >"$ua_tmp/crcs" 2>/dev/null
  awk -v um="$(umask)" '${MEMBERS_AWK}' "$ua_tmp/crcs" "$ua_tmp/zout" >"$ua_tmp/members"
}`);
}

function words(values: readonly string[]): Script {
  return Script.join(values.map((value) => sh`${value}`), ' ');
}

/** `set -- "$@" WORDS` when there are words, else nothing. */
function appendArgs(values: readonly string[]): Script {
  return values.length === 0 ? Script.raw(':') : Script.concat([Script.raw('set -- "$@" '), words(values)]);
}

/**
 * The task's part of the zip handler: is_unarchived's exact test for an excluded path
 * (uz_excluded), its `zipinfo -T -s` listing, and the extraction (ZipArchive.unarchive:
 * `unzip -o OPTS SRC -x EXCLUDES… INCLUDES… -d DEST`, the newer files keep_newer left alone
 * among the excludes). Sets ua_zip_unarchived; `extract_*` records as for tar.
 */
export function zipTaskScript(plan: ZipPlan): Script {
  const excludedCase =
    plan.excludes.length === 0
      ? Script.raw('uz_excluded() { return 1; }')
      : Script.concat([Script.raw('uz_excluded() { case $1 in '), Script.join(plan.excludes.map((pattern) => sh`${pattern}`), '|'), Script.raw(') return 0 ;; esac; return 1; }')]);
  return Script.join([
    excludedCase,
    Script.raw('set -- "$ua_zipinfo"\nif [ "$ua_handler" = ZipZArchive ]; then set -- "$@" -Z; fi\nset -- "$@" -T -s "$ua_src"'),
    plan.excludes.length === 0 ? Script.raw(':') : Script.concat([Script.raw('set -- "$@" -x '), words(plan.excludes)]),
    appendArgs(plan.includes),
    Script.raw(`ua_zrc=0
"$@" >"$ua_tmp/zout" 2>/dev/null || ua_zrc=$?
ua_zip_members
ua_zip_compare
ua_zip_unarchived=0
if [ "$ua_zrc" = 0 ] && [ "$ua_zip_changed" = 0 ]; then ua_zip_unarchived=1; fi
while IFS= read -r ua_line; do fleet_emit zip_newer "$ua_line"; done <"$ua_tmp/newer"
ua_unzip_extract() {
  set -- "$ua_unzip" -o`),
    Script.concat([Script.raw('  '), appendArgs(plan.extraOpts)]),
    Script.raw('  set -- "$@" "$ua_src"'),
    Script.raw(plan.excludes.length > 0 ? '  set -- "$@" -x' : '  if [ -s "$ua_tmp/newer" ]; then set -- "$@" -x; fi'),
    Script.concat([Script.raw('  '), appendArgs(plan.excludes)]),
    Script.raw('  while IFS= read -r ua_line; do set -- "$@" "$ua_line"; done <"$ua_tmp/newer"'),
    Script.concat([Script.raw('  '), appendArgs(plan.includes)]),
    Script.raw(`  set -- "$@" -d "$ua_dest"
  ua_rc=0
  "$@" >"$ua_tmp/out" 2>"$ua_tmp/err" || ua_rc=$?
  for ua_arg in "$@"; do fleet_emit extract_cmd "$ua_arg"; done
}`),
  ]);
}
