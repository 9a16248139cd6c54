import { Script } from '../../shell/script.js';

/**
 * Shell functions for running argv the way Python's subprocess does (shell=False): the
 * program is looked up on PATH by hand and run by its path, so shell builtins, functions and
 * keywords are never used in its place (`echo` is /bin/echo, as under Ansible).
 */
export const EXEC_FUNCTIONS = Script.library(`# Sets fleet_errno: 0 when execve(2) would run $1, else the errno it would fail with. A
# variable, not output, so the PATH search below forks no subshell per directory.
fleet_exec_errno() {
  if [ -d "$1" ]; then fleet_errno=13; elif [ -f "$1" ] && [ -x "$1" ]; then fleet_exec_format "$1"; elif [ -e "$1" ]; then fleet_errno=13; else fleet_errno=2; fi
}
# execve(2) runs only binaries and #! scripts (a shell would run anything): ENOEXEC otherwise.
fleet_exec_format() {
  fleet_errno=0
  [ -r "$1" ] || return 0
  fef_ifs=$IFS
  IFS=' '
  # shellcheck disable=SC2046 # od's words are wanted apart
  set -- $(od -An -tx1 -N4 "$1")
  IFS=$fef_ifs
  case $1$2$3$4 in
    2321*|7f454c46|cffaedfe|cefaedfe|feedface|feedfacf|cafebabe|bebafeca) ;;
    *) fleet_errno=8 ;;
  esac
}
fleet_find_exec() {
  fleet_exec='' fleet_errno=0
  case $1 in */*) fleet_exec_errno "$1"; [ "$fleet_errno" = 0 ] && fleet_exec=$1; return 0 ;; esac
  fleet_saved=0 fleet_ifs=$IFS
  IFS=:
  for fleet_dir in \${PATH-/bin:/usr/bin}; do
    if [ -n "$fleet_dir" ]; then fleet_try=$fleet_dir/$1; else fleet_try=./$1; fi
    fleet_exec_errno "$fleet_try"
    if [ "$fleet_errno" = 0 ]; then fleet_exec=$fleet_try; break; fi
    [ "$fleet_errno" = 2 ] || [ "$fleet_saved" != 0 ] || fleet_saved=$fleet_errno
  done
  IFS=$fleet_ifs
  [ -n "$fleet_exec" ] || [ "$fleet_saved" = 0 ] || fleet_errno=$fleet_saved
  [ -n "$fleet_exec" ] || [ "$fleet_errno" != 0 ] || fleet_errno=2
}
fleet_glob_exists() {
  case $1 in
    *[*?[]*) ;;
    *) [ -e "$1" ] || [ -L "$1" ]; return ;;
  esac
  (
    IFS=''
    # shellcheck disable=SC2086
    for fleet_g in $1; do
      if [ -e "$fleet_g" ] || [ -L "$fleet_g" ]; then exit 0; fi
    done
    exit 1
  )
}
fleet_path_errno() {
  if [ ! -e "$1" ]; then echo 2; elif [ ! -d "$1" ]; then echo 20; else echo 13; fi
}`);

/** Python's os.strerror for the errnos the functions above report. */
export { STRERROR } from '../os-error.js';
