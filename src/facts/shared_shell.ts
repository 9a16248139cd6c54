/** Read last, so that fleet_read_files can keep them from the controller (they may be long). */
export const TRAILING_FILES: readonly string[] = ['/etc/passwd'];

/**
 * Run once before the fact families: what several of them need (uname's answers, a newline,
 * the files they read) and helpers, so the families fork as few processes and make as few
 * system calls as they can.
 * `$fleet_uname` is set before it to the line `uname -snrvm` printed when the connection
 * probed the userland (shell/userland.ts), so uname is not run again. uname prints its
 * fields in that order whatever the flag order (GNU, BSD and busybox alike), one space apart;
 * only the kernel version (-v) holds spaces, so it is what is left between the release and
 * the machine, which is the last word.
 */
export const FACTS_PREAMBLE = `fleet_nl='
'
fleet_system=\${fleet_uname%% *} fleet_uname=\${fleet_uname#* }
fleet_nodename=\${fleet_uname%% *} fleet_uname=\${fleet_uname#* }
fleet_kernel=\${fleet_uname%% *} fleet_uname=\${fleet_uname#* }
fleet_machine=\${fleet_uname##* } fleet_kernel_version=\${fleet_uname% *}
fleet_status='' fleet_mtab='' fleet_os_release='' fleet_os_release_lib='' fleet_passwd_login='' fleet_passwd_uid=''
# The files the families read (FactFamily.files), all by one grep, which prints each line as
# \`path:line\`: the shell's read builtin makes a system call per byte. The script keeps the
# lines it needs itself: the shell's own status in $fleet_status, mtab's (else /proc/mounts')
# in $fleet_mtab, the os-release files' in $fleet_os_release and _lib. /etc/passwd comes last
# (TRAILING_FILES): of it only the first entries named by the login variables user.py reads
# and by the real uid are kept ($fleet_passwd_login, $fleet_passwd_uid), and none goes to the
# controller.
fleet_read_files() {
  frf_text=$fleet_nl$(LC_ALL=C grep '' /dev/null "$@" 2>/dev/null)
  fleet_emit files "\${frf_text%%"$fleet_nl/etc/passwd:"*}"
  fleet_status='' fleet_mtab='' frf_mounts='' fleet_os_release='' fleet_os_release_lib='' fleet_passwd_login='' fleet_passwd_uid='' frf_uid=''
  frf_login=\${LOGNAME:-\${USER:-\${LNAME:-\${USERNAME:-}}}}
  fleet_split_lines
  # shellcheck disable=SC2086
  set -- $frf_text
  fleet_split_words
  for frf_line do
    case $frf_line in
      "/proc/$$/status:"*) fleet_status="$fleet_status\${frf_line#*:}$fleet_nl" ;;
      /etc/mtab:*) fleet_mtab="$fleet_mtab\${frf_line#*:}$fleet_nl" ;;
      /proc/mounts:*) frf_mounts="$frf_mounts\${frf_line#*:}$fleet_nl" ;;
      /etc/os-release:*) fleet_os_release="$fleet_os_release\${frf_line#*:}$fleet_nl" ;;
      /usr/lib/os-release:*) fleet_os_release_lib="$fleet_os_release_lib\${frf_line#*:}$fleet_nl" ;;
      /etc/passwd:*)
        [ -n "$frf_uid" ] || { fleet_status_field Uid; frf_uid=$fleet_field; }
        frf_line=\${frf_line#/etc/passwd:} frf_id=\${frf_line#*:}
        frf_id=\${frf_id#*:}
        frf_id=\${frf_id%%:*}
        if [ -z "$fleet_passwd_login" ] && [ -n "$frf_login" ] && [ "\${frf_line%%:*}" = "$frf_login" ]; then fleet_passwd_login=$frf_line; fi
        if [ -z "$fleet_passwd_uid" ] && [ -n "$frf_uid" ] && [ "$frf_id" = "$frf_uid" ]; then fleet_passwd_uid=$frf_line; fi ;;
    esac
  done
  [ -n "$fleet_mtab" ] || fleet_mtab=$frf_mounts
}
# Word $2 (the first when not given) after \`$1:\` on the shell's status line $1 (Uid,
# CapInh…), into $fleet_field; status 1 when there is no such line.
fleet_status_field() {
  fleet_field='' fsf_n=\${2:-1}
  fleet_line_of "$fleet_status" "$1:*" || return 1
  # shellcheck disable=SC2086
  set -- \${fleet_line#"$1:"}
  while [ "$fsf_n" -gt 1 ] && [ $# -gt 0 ]; do shift; fsf_n=$((fsf_n - 1)); done
  fleet_field=\${1-}
}
# The first line of text $1 that the case pattern $2 matches (status keys, user names and
# ids hold no pattern characters), into $fleet_line; status 1 when none does.
fleet_line_of() {
  fleet_line='' flo_pattern=$2
  fleet_split_lines
  # shellcheck disable=SC2086
  set -- $1
  fleet_split_words
  for flo_l do
    # shellcheck disable=SC2254
    case $flo_l in $flo_pattern) fleet_line=$flo_l; return 0 ;; esac
  done
  return 1
}
# Field splitting at newlines only and no globbing, until fleet_split_words restores them: a
# long text split once, in C, costs far less than walking it with pattern expansions (each
# copies what is left, and dash matches \${x#*pattern} in time quadratic in x).
fleet_split_lines() { fsl_ifs=\${IFS-} fsl_ifs_set=\${IFS+x}; IFS=$fleet_nl; set -f; }
fleet_split_words() { set +f; if [ -n "$fsl_ifs_set" ]; then IFS=$fsl_ifs; else unset IFS; fi; }
# A text file as a record, read by the shell itself (for the files no one list can name).
fleet_emit_lines() {
  fel_text=''
  while IFS= read -r fel_line || [ -n "$fel_line" ]; do fel_text="$fel_text$fel_line$fleet_nl"; done < "$2"
  fleet_emit "$1" "$fel_text"
}
# module.get_bin_path(): the first executable $1 in PATH or in the sbin directories Ansible
# adds, into $fleet_found; looked up by the shell itself (command -v costs a subshell).
fleet_bin() {
  fleet_found='' fb_path=$PATH:/sbin:/usr/sbin:/usr/local/sbin:
  while [ -n "$fb_path" ]; do
    fb_d=\${fb_path%%:*} fb_path=\${fb_path#*:}
    if [ -f "\${fb_d:-.}/$1" ] && [ -x "\${fb_d:-.}/$1" ]; then fleet_found=\${fb_d:-.}/$1; return 0; fi
  done
  return 1
}`;
