/**
 * Run once before the fact families: what several of them need (uname's answers, a newline)
 * and a reader for small text files, so the families fork as few processes as they can.
 * `$fleet_uname` is set before it to the line `uname -snrvm` printed when the connection
 * probed the userland (shell/userland.ts), so uname is not run again. uname prints its
 * fields in that order whatever the flag order (GNU, BSD and busybox alike), one space apart;
 * only the kernel version (-v) holds spaces, so it is what is left between the release and
 * the machine, which is the last word.
 */
export const FACTS_PREAMBLE = `fleet_nl='
'
# /proc/cpuinfo as the hardware family read it, for the virtual family; empty until then (the
# shell outlives one gathering).
fleet_cpuinfo=''
fleet_system=\${fleet_uname%% *} fleet_uname=\${fleet_uname#* }
fleet_nodename=\${fleet_uname%% *} fleet_uname=\${fleet_uname#* }
fleet_kernel=\${fleet_uname%% *} fleet_uname=\${fleet_uname#* }
fleet_machine=\${fleet_uname##* } fleet_kernel_version=\${fleet_uname% *}
# A text file (/proc, /etc) as a record, read by the shell itself instead of a cat; with a
# third argument, only up to the line starting with it (the shell reads a byte per syscall).
fleet_emit_lines() {
  fel_text=''
  while IFS= read -r fel_line || [ -n "$fel_line" ]; do
    fel_text="$fel_text$fel_line$fleet_nl"
    if [ -n "\${3-}" ]; then case $fel_line in "$3"*) break ;; esac; fi
  done < "$2"
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
