import { Script } from '../../shell/script.js';
import type { Userland } from '../../shell/userland.js';

/**
 * Shell functions shared by the file modules, added after the prelude. They mirror the
 * helpers of Ansible's AnsibleModule that these modules lean on (get_state, add_path_info,
 * set_owner/group/mode_if_different, realpath, backup_local) and never assume GNU tools.
 * Every path is passed after `--` so names starting with `-` stay names.
 */
export function filesLib(userland: Userland): Script {
  const gnu = userland.stat === 'gnu';
  // Fields: mode uid gid size mtime nlink atime owner group (names last: they may hold spaces).
  const statCall = gnu
    ? `stat -c '%a %u %g %s %Y %h %X %U %G' "$@"`
    : `stat -f '%Lp %u %g %z %m %l %a %Su %Sg' "$@"`;
  const groupId = gnu
    ? `getent group -- "$1" | cut -d: -f3`
    : `dscacheutil -q group -a name "$1" | awk '/^gid:/ { print $2; exit }'`;
  // Linux has no lchmod: Ansible's chmod of a link changes the target and restores it, a no-op.
  const chmodPath = gnu ? `[ -L "$1" ] || chmod "$fa_want" -- "$1"` : `chmod -h "$fa_want" -- "$1"`;
  return Script.library(`# Reports a failure; like fail_json, adds the path info of the path the result names (fleet_report).
fleet_fail() { fleet_emit failed 1; fleet_emit msg "$1"; [ -z "$fleet_fail_path" ] || fleet_path_info "$fleet_fail_path"; exit 0; }
# Defaults a module script overrides: not check mode, nothing to change.
fleet_fail_path='' fleet_check=0 fleet_changed=0 fleet_want_owner='' fleet_want_group='' fleet_has_mode=0 fleet_mode_wanted='' fa_clean='' fa_fresh='' fs_info=''
fleet_report() { fleet_emit "$1" "$2"; fleet_fail_path=$2; }
# fail_json(path=PATH, msg=MSG): the result names PATH and carries its path info.
fleet_fail_at() { fleet_emit fail_path "$1"; fleet_fail_path=$1; fleet_fail "$2"; }
# fleet_fail_at PATH MSG, MSG followed by the OSError a tool's message ending in the strerror ERR stands for.
fleet_os_fail() { fleet_emit os_error "\${3##*: }"; fleet_fail_at "$1" "$2"; }
# fleet_info [-L] -- PATH: sets fi_mode fi_uid fi_gid fi_size fi_mtime fi_nlink fi_atime fi_owner fi_group.
fleet_info() {
  fi_out=$(${statCall} 2>/dev/null) || return 1
  set -f
  # shellcheck disable=SC2086
  set -- $fi_out
  set +f
  fi_mode=$1 fi_uid=$2 fi_gid=$3 fi_size=$4 fi_mtime=$5 fi_nlink=$6 fi_atime=$7
  shift 7
  fi_owner=$1 fi_group=$2
}
# fleet_emit_text KEY PATH SIZE: PATH's content as the record KEY. Read by the shell itself
# when SIZE is at most 1 KiB (the shell reads a byte per syscall, so beyond that a cat costs
# less) and what it read has exactly SIZE bytes (nothing dropped, such as a NUL, nor counted
# as characters rather than bytes); otherwise by cat.
fleet_emit_text() {
  fet_text='' fet_line=''
  if [ "$3" -le 1024 ] && [ -r "$2" ]; then
    while IFS= read -r fet_line; do fet_text="$fet_text$fet_line
"; done < "$2"
    fet_text=$fet_text$fet_line
    if [ "\${#fet_text}" = "$3" ]; then fleet_emit "$1" "$fet_text"; return 0; fi
  fi
  fleet_emit_file "$1" "$2"
}
fleet_gid_of() { ${groupId}; }
# Ansible's get_state: link, directory, hard (a file with more than one link), file or absent.
# A file's link count comes from fleet_info (not a link, so lstat is stat), which leaves
# fi_* describing it: fs_info names the path they describe (see fa_fresh in fleet_attrs).
fleet_state() {
  fs_info=''
  if [ -L "$1" ]; then fs_state='link'
  elif [ -d "$1" ]; then fs_state='directory'
  elif [ -e "$1" ]; then
    if fleet_info -- "$1"; then fs_info=$1; fi
    if [ -n "$fs_info" ] && [ "$fi_nlink" -gt 1 ]; then fs_state='hard'; else fs_state='file'; fi
  else fs_state='absent'; fi
}
# os.path.realpath without readlink -f: follows the link chain, then canonicalises the directory.
fleet_realpath() {
  fr_p=$1 fr_n=0
  while [ -L "$fr_p" ] && [ "$fr_n" -lt 40 ]; do
    fr_t=$(readlink -- "$fr_p"; printf x); fr_t=\${fr_t%?x}
    case $fr_t in
      /*) fr_p=$fr_t ;;
      *) case $fr_p in */*) fr_p=\${fr_p%/*}/$fr_t ;; *) fr_p=$fr_t ;; esac ;;
    esac
    fr_n=$((fr_n + 1))
  done
  case $fr_p in */*) fr_d=\${fr_p%/*} fr_b=\${fr_p##*/} ;; *) fr_d=. fr_b=$fr_p ;; esac
  [ -n "$fr_d" ] || fr_d=/
  if fr_d=$(cd -P -- "$fr_d" 2>/dev/null && pwd -P && printf x); then fr_d=\${fr_d%?x}; else fr_d=\${fr_p%/*}; fi
  case $fr_d in */) fleet_real=$fr_d$fr_b ;; *) fleet_real=$fr_d/$fr_b ;; esac
  [ -n "$fr_b" ] || fleet_real=$fr_d
}
# Ansible's add_path_info: what exit_json adds about the path it reports. The state comes
# from the same lstat (a path that is not a link has the nlink stat -L would give).
fleet_path_info() {
  [ -e "$1" ] || return 0
  if [ "$fa_clean" != "$1" ]; then fleet_info -- "$1" || return 0; fi
  fa_clean=''
  if [ -L "$1" ]; then fs_state='link'
  elif [ -d "$1" ]; then fs_state='directory'
  elif [ "$fi_nlink" -gt 1 ]; then fs_state='hard'
  else fs_state='file'; fi
  fleet_emit pi_uid "$fi_uid"; fleet_emit pi_gid "$fi_gid"
  fleet_emit pi_owner "$fi_owner"; fleet_emit pi_group "$fi_group"
  fleet_emit pi_mode "$fi_mode"; fleet_emit pi_state "$fs_state"; fleet_emit pi_size "$fi_size"
}
# set_owner/group/mode_if_different on PATH; $2 = 1 records the diff. Wants: fleet_want_owner,
# fleet_want_group (empty: leave), fleet_has_mode=1 with fleet_mode_want. Sets fleet_changed=1.
# Stats PATH once unless it changes it; when PATH is left as it was, fa_clean=PATH tells
# fleet_path_info that fi_* still describe it. A caller that knows fi_* describe PATH as it
# is now (fleet_state's fs_info, nothing changed since) sets fa_fresh=PATH: no stat at all.
fleet_attrs() {
  fa_clean='' fa_known=0
  if [ -n "$fa_fresh" ] && [ "$fa_fresh" = "$1" ]; then fa_known=1; fi
  fa_fresh=''
  if [ "$fleet_check" = 1 ] && ! [ -e "$1" ]; then
    if [ -n "$fleet_want_owner$fleet_want_group" ] || [ "$fleet_has_mode" = 1 ]; then fleet_changed=1; fi
    return 0
  fi
  if [ -n "$fleet_want_owner" ]; then
    [ "$fa_known" = 1 ] || fleet_info -- "$1" || fleet_fail "chown failed: $1 does not exist"
    fa_known=1
    case $fleet_want_owner in
      *[!0-9]*)
        # The name stat gave for the file's uid is that uid: no lookup (GNU stat names an unknown uid UNKNOWN).
        fa_want=''; [ "$fleet_want_owner" != "$fi_owner" ] || [ "$fi_owner" = UNKNOWN ] || fa_want=$fi_uid
        [ -n "$fa_want" ] || fa_want=$(id -u -- "$fleet_want_owner" 2>/dev/null) || fleet_fail_at "$1" "chown failed: failed to look up user $fleet_want_owner" ;;
      *) fa_want=$fleet_want_owner ;;
    esac
    if [ "$fa_want" != "$fi_uid" ]; then
      if [ "$2" = 1 ]; then fleet_emit diff_before_owner "$fi_uid"; fleet_emit diff_after_owner "$fa_want"; fi
      fleet_changed=1 fa_known=0
      [ "$fleet_check" = 1 ] || fa_err=$(LC_ALL=C chown -h "$fa_want" -- "$1" 2>&1) || fleet_os_fail "$1" 'chown failed' "$fa_err"
    fi
  fi
  if [ -n "$fleet_want_group" ]; then
    [ "$fa_known" = 1 ] || fleet_info -- "$1" || fleet_fail "chgrp failed"
    fa_known=1
    case $fleet_want_group in
      *[!0-9]*)
        fa_want=''; [ "$fleet_want_group" != "$fi_group" ] || [ "$fi_group" = UNKNOWN ] || fa_want=$fi_gid
        [ -n "$fa_want" ] || fa_want=$(fleet_gid_of "$fleet_want_group" 2>/dev/null); [ -n "$fa_want" ] || fleet_fail_at "$1" "chgrp failed: failed to look up group $fleet_want_group" ;;
      *) fa_want=$fleet_want_group ;;
    esac
    if [ "$fa_want" != "$fi_gid" ]; then
      if [ "$2" = 1 ]; then fleet_emit diff_before_group "$fi_gid"; fleet_emit diff_after_group "$fa_want"; fi
      fleet_changed=1 fa_known=0
      [ "$fleet_check" = 1 ] || chgrp -h "$fa_want" -- "$1" 2>/dev/null || fleet_fail_at "$1" 'chgrp failed'
    fi
  fi
  if [ "$fleet_has_mode" = 1 ]; then
    [ "$fa_known" = 1 ] || fleet_info -- "$1" || fleet_fail "chmod failed"
    fa_known=1
    fa_dir=0; if [ -d "$1" ] && ! [ -L "$1" ]; then fa_dir=1; fi
    fleet_mode_want "$fi_mode" "$fa_dir"
    fa_want=$fleet_mode_wanted
    if [ $((0$fa_want)) -ne $((0$fi_mode)) ]; then
      if [ "$2" = 1 ]; then fleet_emit diff_before_mode "$fi_mode"; fleet_emit diff_after_mode "$fa_want"; fi
      if [ "$fleet_check" = 1 ]; then fleet_changed=1; return 0; fi
      fa_known=0
      ${chmodPath} || fleet_fail "chmod failed"
      fa_prev=$fi_mode
      fleet_info -- "$1" && fa_known=1 && [ $((0$fi_mode)) -ne $((0$fa_prev)) ] && fleet_changed=1
    fi
  fi
  if [ "$fa_known" = 1 ]; then fa_clean=$1; fi
  return 0
}
# Ansible's backup_local: NAME.PID.YYYY-MM-DD@HH:MM:SS~ next to the file, contents and stats kept.
fleet_backup() {
  fleet_backup_file="$1.$$.$(date '+%Y-%m-%d@%H:%M:%S~')"
  cp -p -- "$1" "$fleet_backup_file" || fleet_fail "Could not make backup of $1 to $fleet_backup_file"
  fleet_emit backup_file "$fleet_backup_file"
}
# os.makedirs for DIR, one level at a time, running fleet_attrs on each directory it makes
# (the copy module's adjust_recursive_directory_permissions).
fleet_makedirs() {
  [ -d "$1" ] && return 0
  case $1 in */*) fm_parent=\${1%/*}; [ -n "$fm_parent" ] || fm_parent=/ ;; *) fm_parent=. ;; esac
  fleet_makedirs "$fm_parent" || return 1
  mkdir -- "$1" || return 1
  fleet_attrs "$1" 0
}
# Whether PATH holds exactly TEXT, read by the shell itself: for a small file that costs less
# than forking a hash. Each read line gets its newline back; the last read keeps what follows
# the final newline. A shell's read drops NUL bytes, so a caller compares only a file of
# TEXT's size (a dropped byte would leave it short) and hashes when this says no.
fleet_same_text() {
  [ -r "$1" ] || return 1
  fst_text='' fst_line=''
  while IFS= read -r fst_line; do fst_text="$fst_text$fst_line
"; done < "$1"
  [ "$fst_text$fst_line" = "$2" ]
}
# A new empty temp file beside DEST (fleet_tmp), so the final rename stays on one filesystem.
fleet_tmp_beside() {
  case $1 in */*) fp_dir=\${1%/*}; [ -n "$fp_dir" ] || fp_dir=/ ;; *) fp_dir=. ;; esac
  fleet_tmp=$(mktemp -- "$fp_dir/.fleet.XXXXXX")
}
# Gives fleet_tmp the mode and owner an atomic_move onto DEST gives it: the old file's
# (links followed), or 0666 less the umask; removes it on failure.
fleet_tmp_like() {
  if fleet_info -L -- "$1"; then
    chmod "$fi_mode" -- "$fleet_tmp" && { [ "$(id -u)" != 0 ] || chown "$fi_uid:$fi_gid" -- "$fleet_tmp"; }
  else
    fleet_new_file_mode && chmod "$fleet_new_mode" -- "$fleet_tmp"
  fi || { rm -f -- "$fleet_tmp"; return 1; }
}
# Base64 on stdin into a new temp file beside DEST (fleet_tmp), with atomic_move's mode and owner.
fleet_put_tmp() {
  fleet_put_error=''
  fleet_tmp_beside "$1" || return 1
  # The decoder's complaint (a full disk, a quota) becomes the task's message. base64 itself,
  # not the fleet_b64d function, so the substitution's subshell execs it instead of forking.
  if ! fleet_put_error=$(base64 ${userland.base64Decode} 2>&1 >"$fleet_tmp"); then rm -f -- "$fleet_tmp"; return 1; fi
  fleet_tmp_like "$1"
}
# What Ansible's _get_diff_data shows as "before" for DEST (binary and size limits included).
fleet_diff_before() {
  if ! [ -e "$1" ]; then fleet_emit diff_before_absent 1
  elif [ $(($(head -c 8192 -- "$1" | tr -d '\\000' | wc -c))) -ne $(($(head -c 8192 -- "$1" | wc -c))) ]; then fleet_emit diff_dst_binary 1
  elif fleet_info -L -- "$1" && [ "$fi_size" -gt 104448 ]; then fleet_emit diff_dst_larger 104448
  else fleet_emit_file diff_before "$1"; fi
}`);
}
