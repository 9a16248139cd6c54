import { Script } from '../../shell/script.js';
import type { Userland } from '../../shell/userland.js';

/**
 * The file module's state functions (lib/ansible/modules/file.py: ensure_absent,
 * execute_touch, ensure_file_attributes, ensure_directory, ensure_symlink,
 * ensure_hardlink) as shell. Inputs are the variables the module script sets: path, src
 * (has_src=1 when given), state (empty: derived), recurse, force, follow, obase, the
 * attribute and time wants. Results are records: r_path/r_dest/r_src, changed, diff_*.
 */
export function fileStates(userland: Userland): Script {
  const gnu = userland.stat === 'gnu';
  const inode = gnu ? `stat -L -c %i -- "$1"` : `stat -L -f %i -- "$1"`;
  // Replace what is at $2 (even a link to a directory) by renaming $1 over it, as os.rename does.
  const renameOver = gnu ? `mv -fT -- "$1" "$2"` : `mv -fh -- "$1" "$2"`;
  return Script.library(`# Inputs, set by the module script after this library.
path='' src='' has_src=0 state='' obase='' recurse=0 force=0 follow=1
fleet_mtime_kind='preserve' fleet_atime_kind='preserve' fleet_mtime_stamp='' fleet_atime_stamp=''
fleet_inode() { ${inode}; }
fleet_rename_over() { ${renameOver}; }
fleet_stamp_epoch() { fse=$(mktemp) && touch -m -t "$1" -- "$fse" && fleet_info -- "$fse"; rm -f -- "$fse"; printf '%s' "$fi_mtime"; }
fleet_time_want() {
  case $1 in preserve) printf '%s' "$3" ;; now) date +%s ;; *) fleet_stamp_epoch "$2" ;; esac
}
# update_timestamp_for_file: PATH, 1 to record the diff.
fleet_times() {
  [ "$fleet_mtime_kind$fleet_atime_kind" = preservepreserve ] && return 0
  fleet_info -L -- "$1" || fleet_fail "Error while updating modification or access time: no such file: $1"
  ft_m=$(fleet_time_want "$fleet_mtime_kind" "$fleet_mtime_stamp" "$fi_mtime")
  ft_a=$(fleet_time_want "$fleet_atime_kind" "$fleet_atime_stamp" "$fi_atime")
  if [ "$fleet_mtime_kind$fleet_atime_kind" != nownow ] && [ "$ft_m" = "$fi_mtime" ] && [ "$ft_a" = "$fi_atime" ]; then return 0; fi
  if [ "$2" = 1 ]; then
    if [ "$ft_m" != "$fi_mtime" ] || [ "$fleet_mtime_kind" = now ]; then fleet_emit diff_before_mtime "$fi_mtime"; fleet_emit diff_after_mtime "$ft_m"; fi
    if [ "$ft_a" != "$fi_atime" ] || [ "$fleet_atime_kind" = now ]; then fleet_emit diff_before_atime "$fi_atime"; fleet_emit diff_after_atime "$ft_a"; fi
  fi
  fleet_changed=1 fa_clean=''
  [ "$fleet_check" = 1 ] && return 0
  case $fleet_mtime_kind in now) touch -m -- "$1" ;; preserve) ;; *) touch -m -t "$fleet_mtime_stamp" -- "$1" ;; esac ||
    fleet_fail "Error while updating modification or access time: could not touch $1"
  case $fleet_atime_kind in now) touch -a -- "$1" ;; preserve) ;; *) touch -a -t "$fleet_atime_stamp" -- "$1" ;; esac ||
    fleet_fail "Error while updating modification or access time: could not touch $1"
}
fleet_diff_states() { fleet_emit diff_before_state "$1"; fleet_emit diff_after_state "$2"; }
# A path safe to hand to find: relative names starting with - get ./ in front.
fleet_findable() { case $1 in -*) ff_path=./$1 ;; *) ff_path=$1 ;; esac; }
# file_args path: load_file_common_arguments resolves a followed link.
fleet_args_path() {
  args_path=$path
  if [ "$follow" = 1 ] && [ -L "$path" ]; then fleet_realpath "$path"; args_path=$fleet_real; fi
}

file_absent() {
  fleet_report r_path "$path"; fleet_emit r_state absent
  [ "$prev" = absent ] && return 0
  fleet_diff_states "$prev" absent
  if [ "$prev" = directory ]; then
    fleet_findable "$path"
    # Every entry, d or f for whether os.walk takes it for a directory ([ -d ] follows a link, as is_dir does).
    find "$ff_path" -mindepth 1 | while IFS= read -r ef_name; do
      if [ -d "$ef_name" ]; then fleet_emit walk "d$ef_name"; else fleet_emit walk "f$ef_name"; fi
    done
    [ "$fleet_check" = 1 ] || rm -rf -- "$path" || fleet_fail "rmtree failed: could not remove $path"
  else
    [ "$fleet_check" = 1 ] || rm -f -- "$path" || fleet_fail "unlinking failed: could not remove $path"
  fi
  fleet_changed=1
}

file_touch() {
  fleet_report r_dest "$path"
  if [ "$prev" = absent ]; then
    if [ "$fleet_check" = 1 ]; then fleet_changed=1; fleet_emit no_diff 1; return 0; fi
    : > "$path" || fleet_fail "Error, could not touch target: cannot create $path"
    fleet_changed=1
  fi
  fleet_diff_states "$prev" touch
  fleet_args_path
  fa_fresh=$fs_info; fleet_attrs "$args_path" 1
  fleet_times "$args_path" 1
}

file_file() {
  if [ "$prev" != file ] && [ "$follow" = 1 ] && [ "$prev" = link ]; then
    fleet_realpath "$path"; path=$fleet_real; fleet_state "$path"; prev=$fs_state
  fi
  case $prev in file|hard) ;; *) fleet_report r_path "$path"; fleet_emit r_state "$prev"; fleet_fail "file ($path) is $prev, cannot continue" ;; esac
  fleet_report r_path "$path"
  [ "$prev" = file ] || fleet_diff_states "$prev" file
  fleet_args_path
  fa_fresh=$fs_info; fleet_attrs "$args_path" 1
  fleet_times "$args_path" 1
}

file_directory() {
  if [ "$follow" = 1 ] && [ "$prev" = link ]; then
    fleet_realpath "$path"; path=$fleet_real; fleet_state "$path"; prev=$fs_state
  fi
  fleet_report r_path "$path"
  [ "$prev" = directory ] || fleet_diff_states "$prev" directory
  if [ "$prev" = absent ]; then
    if [ "$fleet_check" = 1 ]; then fleet_changed=1; return 0; fi
    case $path in /*) fd_cur= ;; *) fd_cur=. ;; esac
    fd_rest=$path
    while [ -n "$fd_rest" ]; do
      case $fd_rest in */*) fd_part=\${fd_rest%%/*} fd_rest=\${fd_rest#*/} ;; *) fd_part=$fd_rest fd_rest= ;; esac
      [ -n "$fd_part" ] || continue
      if [ "$fd_cur" = . ]; then fd_cur=$fd_part; else fd_cur=$fd_cur/$fd_part; fi
      if ! [ -e "$fd_cur" ]; then
        mkdir -- "$fd_cur" 2>/dev/null || [ -d "$fd_cur" ] || fleet_fail "There was an issue creating $fd_cur as requested: could not create the directory"
        fleet_changed=1
        fleet_attrs "$fd_cur" 1
        fleet_times "$path" 1
      fi
    done
    return 0
  fi
  [ "$prev" = directory ] || fleet_fail "$path already exists as a $prev"
  fleet_args_path
  fleet_attrs "$args_path" 1
  fleet_times "$args_path" 1
  if [ "$recurse" = 1 ]; then fleet_recurse "$path"; fi
}

# recursive_set_attributes: every entry below $1 (links themselves, and with follow their targets).
fleet_recurse() {
  fleet_findable "$1"
  find "$ff_path" -mindepth 1 | while IFS= read -r fr_entry; do
    fleet_changed=0
    fleet_attrs "$fr_entry" 0
    fleet_times "$fr_entry" 0
    if [ "$follow" = 1 ] && [ -L "$fr_entry" ]; then
      fr_target=$(readlink -- "$fr_entry"; printf x); fr_target=\${fr_target%?x}
      case $fr_target in /*) ;; *) fr_target=\${fr_entry%/*}/$fr_target ;; esac
      if [ -e "$fr_target" ]; then
        if [ -d "$fr_target" ]; then fleet_recurse "$fr_target"; fi
        fleet_attrs "$fr_target" 0
        fleet_times "$fr_target" 0
      fi
    fi
    [ "$fleet_changed" = 0 ] || fleet_emit changed_below 1
  done
}

file_link() {
  if [ "$has_src" = 0 ] && [ "$follow" = 1 ] && [ -e "$path" ] && [ -L "$path" ]; then
    src=$(readlink -- "$path"; printf x); src=\${src%?x}; has_src=1
  fi
  if ! [ -L "$path" ] && [ -d "$path" ]; then fl_rel=$path
  else case $path in */*) fl_rel=\${path%/*}; [ -n "$fl_rel" ] || fl_rel=/ ;; *) fl_rel= ;; esac; fi
  fl_abs=
  if [ "$has_src" = 1 ]; then
    case $src in /*) fl_abs=$src ;; *) if [ -z "$fl_rel" ]; then fl_abs=$src; else case $fl_rel in */) fl_abs=$fl_rel$src ;; *) fl_abs=$fl_rel/$src ;; esac; fi ;; esac
  fi
  if [ "$force" = 0 ] && [ "$has_src" = 1 ] && ! [ -e "$fl_abs" ]; then
    fleet_emit r_src "$src"
    fleet_report r_path "$path"
    fleet_fail "src file does not exist, use \\"force=yes\\" if you really want to create the link: $fl_abs"
  fi
  if [ "$prev" = directory ]; then
    if [ "$force" = 0 ]; then fleet_report r_path "$path"; fleet_fail "refusing to convert from directory to symlink for $path"; fi
    if [ -n "$(ls -A -- "$path")" ]; then fleet_report r_path "$path"; fleet_fail "the directory $path is not empty, refusing to convert it"; fi
  elif [ "$force" = 0 ] && { [ "$prev" = file ] || [ "$prev" = hard ]; }; then
    fleet_report r_path "$path"; fleet_fail "refusing to convert from $prev to symlink for $path"
  fi
  [ "$has_src" = 0 ] || fleet_emit r_src "$src"
  fleet_report r_dest "$path"
  [ "$prev" = link ] || fleet_diff_states "$prev" link
  fl_changed=0
  if [ "$prev" = link ]; then
    if [ "$has_src" = 1 ]; then
      fl_old=$(readlink -- "$path"; printf x); fl_old=\${fl_old%?x}
      if [ "$fl_old" != "$src" ]; then fleet_emit diff_before_src "$fl_old"; fleet_emit diff_after_src "$src"; fl_changed=1; fi
    fi
  else
    [ "$has_src" = 1 ] || fleet_fail "src is required for creating new symlinks"
    fl_changed=1
  fi
  if [ "$fl_changed" = 1 ] && [ "$fleet_check" = 0 ]; then
    if [ "$prev" = absent ]; then
      ln -s -- "$src" "$path" || fleet_fail "Error while linking: could not link $path"
    else
      case $path in */*) fl_tmp=\${path%/*}/.$$.fleet.tmp ;; *) fl_tmp=.$$.fleet.tmp ;; esac
      if ! { { [ "$prev" != directory ] || rmdir -- "$path"; } && ln -s -- "$src" "$fl_tmp" && fleet_rename_over "$fl_tmp" "$path"; }; then
        rm -f -- "$fl_tmp"; fleet_fail "Error while replacing: could not replace $path"
      fi
    fi
  fi
  [ "$fl_changed" = 0 ] || fleet_changed=1
  if [ "$fleet_check" = 1 ] && ! [ -e "$path" ]; then fleet_emit no_path_info 1; return 0; fi
  fleet_args_path
  if [ "$follow" = 1 ] && [ -L "$path" ] && ! [ -e "$args_path" ]; then
    fleet_emit warning "Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this."
    return 0
  fi
  fleet_attrs "$args_path" 1
  fleet_times "$args_path" 1
}

file_hard() {
  fleet_args_path
  if [ "$prev" != hard ] && [ "$has_src" = 0 ]; then fleet_fail "src is required for creating new hardlinks"; fi
  [ "$has_src" = 0 ] || fleet_emit r_src "$src"
  if [ "$has_src" = 1 ] && ! [ -e "$src" ]; then fleet_report r_dest "$path"; fleet_fail "src does not exist"; fi
  fleet_report r_dest "$path"
  [ "$prev" = hard ] || fleet_diff_states "$prev" hard
  fh_changed=0
  case $prev in
    absent) fh_changed=1 ;;
    link)
      fh_old=$(readlink -- "$path"; printf x); fh_old=\${fh_old%?x}
      if [ "$fh_old" != "$src" ]; then fleet_emit diff_before_src "$fh_old"; fleet_emit diff_after_src "$src"; fh_changed=1; fi ;;
    hard)
      if [ "$has_src" = 1 ] && [ "$(fleet_inode "$path")" != "$(fleet_inode "$src")" ]; then
        fh_changed=1
        [ "$force" = 1 ] || fleet_fail "Cannot link, different hard link exists at destination"
      fi ;;
    file)
      fh_changed=1
      [ "$force" = 1 ] || fleet_fail "Cannot link, file exists at destination" ;;
    directory)
      fh_changed=1
      if [ "$(fleet_inode "$path")" = "$(fleet_inode "$src")" ]; then fleet_emit same_directory 1; return 0; fi
      [ "$force" = 1 ] || fleet_fail "Cannot link: different hard link exists at destination" ;;
  esac
  if [ "$fh_changed" = 1 ] && [ "$fleet_check" = 0 ]; then
    if [ "$prev" = absent ]; then
      ln -- "$src" "$path" || fleet_fail "Error while linking: could not link $path"
    else
      case $path in */*) fh_tmp=\${path%/*}/.$$.fleet.tmp ;; *) fh_tmp=.$$.fleet.tmp ;; esac
      if ! { ln -- "$src" "$fh_tmp" && fleet_rename_over "$fh_tmp" "$path"; }; then
        rm -f -- "$fh_tmp"; fleet_fail "Error while replacing: could not replace $path"
      fi
    fi
  fi
  [ "$fh_changed" = 0 ] || fleet_changed=1
  if [ "$fleet_check" = 1 ] && ! [ -e "$path" ]; then fleet_emit no_path_info 1; return 0; fi
  fleet_attrs "$args_path" 1
  fleet_times "$args_path" 1
}

# additional_parameter_handling, then the state's function, then what exit_json adds.
file_main() {
  if [ "$state" != link ] && [ "$state" != absent ] && [ -d "$path" ]; then
    fm_base=$obase
    if [ -z "$fm_base" ] && [ "$has_src" = 1 ]; then fm_base=\${src##*/}; fi
    if [ -n "$fm_base" ]; then case $path in */) path=$path$fm_base ;; *) path=$path/$fm_base ;; esac; fi
  fi
  fleet_state "$path"; prev=$fs_state
  if [ -z "$state" ]; then
    if [ "$prev" != absent ]; then state=$prev; elif [ "$recurse" = 1 ]; then state='directory'; else state='file'; fi
  fi
  if [ "$recurse" = 1 ] && [ "$state" != directory ]; then fleet_report r_path "$path"; fleet_fail "recurse option requires state to be 'directory'"; fi
  if [ "$has_src" = 1 ] && [ "$state" != link ] && [ "$state" != hard ]; then fleet_report r_path "$path"; fleet_fail "src option requires state to be 'link' or 'hard'"; fi
  fleet_emit r_state_used "$state"
  case $state in
    absent) file_absent ;; touch) file_touch ;; file) file_file ;; directory) file_directory ;; link) file_link ;; hard) file_hard ;;
  esac
  fleet_emit changed "$fleet_changed"
  fleet_path_info "$path"
}`);
}
