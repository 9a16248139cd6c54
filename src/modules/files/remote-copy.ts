import { field } from '../remote.js';
import type { ModuleContext, ModuleResult } from '../types.js';
import type { PyValue } from '../../template/values.js';
import { sh, Script } from '../../shell/script.js';
import { attributeWantsFrom, attributeWantsScript } from './attributes.js';
import { isPreserveMode, withoutPreservedMode } from './mode.js';
import { asResult, pathInfo, scriptFailure } from './results.js';
import { filesLib } from './shell-lib.js';

/**
 * `copy` with `remote_src: true`: the copy module alone, on a file already on the host
 * (lib/ansible/modules/copy.py main). Directory sources are refused rather than half done.
 */
export async function copyOnHost(args: Map<string, PyValue>, src: string, dest: string, ctx: ModuleContext): Promise<ModuleResult> {
  // copy.py: "mode + remote_src has to be done on the remote host": preserve is the source's mode.
  const preserve = isPreserveMode(args.get('mode'));
  const script = Script.join([
    filesLib(ctx.userland),
    attributeWantsScript(attributeWantsFrom(withoutPreservedMode(args))),
    sh`fleet_check=${ctx.check ? '1' : '0'} fleet_changed=0 src=${src} dest=${dest} force=${args.get('force') === true ? '1' : '0'} follow=${args.get('follow') === true ? '1' : '0'} backup=${args.get('backup') === true ? '1' : '0'} preserve=${preserve ? '1' : '0'}`,
    Script.raw(`[ -e "$src" ] || fleet_fail "Source $src not found"
[ -r "$src" ] || fleet_fail "Source $src not readable"
if [ "$preserve" = 1 ]; then
  fleet_info -L -- "$src" || fleet_fail "Source $src not found"
  rc_src_mode=$fi_mode fleet_has_mode=1
  fleet_mode_want() { fleet_mode_wanted=$rc_src_mode; }
fi
[ -d "$src" ] && fleet_fail "fleet does not support copying a directory with remote_src (src=$src)"
fleet_sha1 "$src"; rc_sum=$fleet_sha1_hex
if command -v md5sum >/dev/null 2>&1; then rc_md5=$(md5sum < "$src" | cut -d' ' -f1); else rc_md5=$(md5 -q < "$src"); fi
fleet_emit checksum "$rc_sum"; fleet_emit md5sum "$rc_md5"
if [ -d "$dest" ]; then dest=$dest/\${src##*/}; fi
rc_dest_sum=
if [ -e "$dest" ]; then
  if [ -L "$dest" ] && [ "$follow" = 1 ]; then fleet_realpath "$dest"; dest=$fleet_real; fi
  if [ "$force" = 0 ]; then fleet_emit kept 1; fleet_emit dest "$dest"; exit 0; fi
  if [ -r "$dest" ] && [ -f "$dest" ]; then fleet_sha1 "$dest"; rc_dest_sum=$fleet_sha1_hex; fi
else
  case $dest in */*) rc_dir=\${dest%/*}; [ -n "$rc_dir" ] || rc_dir=/ ;; *) rc_dir=. ;; esac
  [ -d "$rc_dir" ] || fleet_fail "Destination directory $rc_dir does not exist"
fi
if [ "$rc_sum" != "$rc_dest_sum" ] || [ -L "$dest" ]; then
  if [ "$fleet_check" = 0 ]; then
    if [ "$backup" = 1 ] && [ -e "$dest" ]; then fleet_backup "$dest"; fi
    case $dest in */*) rc_dir=\${dest%/*}; [ -n "$rc_dir" ] || rc_dir=/ ;; *) rc_dir=. ;; esac
    fleet_tmp=$(mktemp -- "$rc_dir/.fleet.XXXXXX") || fleet_fail "failed to copy: $src to $dest"
    cat -- "$src" > "$fleet_tmp" || { rm -f -- "$fleet_tmp"; fleet_fail "failed to copy: $src to $dest"; }
    # shutil.copystat: the copy keeps the source's access and modification times.
    touch -r "$src" -- "$fleet_tmp" || { rm -f -- "$fleet_tmp"; fleet_fail "failed to copy: $src to $dest"; }
    if fleet_info -L -- "$dest"; then
      chmod "$fi_mode" -- "$fleet_tmp"; [ "$(id -u)" != 0 ] || chown "$fi_uid:$fi_gid" -- "$fleet_tmp"
    else
      fleet_new_file_mode; chmod "$fleet_new_mode" -- "$fleet_tmp"
    fi
    mv -f -- "$fleet_tmp" "$dest" || { rm -f -- "$fleet_tmp"; fleet_fail "failed to copy: $src to $dest"; }
  fi
  fleet_changed=1
fi
fleet_attrs "$dest" 0
fleet_emit changed "$fleet_changed"
fleet_emit dest "$dest"
fleet_path_info "$dest"`),
  ]);
  const output = await ctx.remote(script);
  const failure = scriptFailure(output);
  if (failure) return failure;
  const dest2 = field(output, 'dest');
  if (output.fields.has('kept')) return asResult({ changed: false, msg: 'file already exists', src, dest: dest2 });
  const result: Record<string, unknown> = {
    dest: dest2,
    src,
    md5sum: field(output, 'md5sum'),
    checksum: field(output, 'checksum'),
    changed: field(output, 'changed') === '1',
  };
  if (output.fields.has('backup_file')) result['backup_file'] = field(output, 'backup_file');
  return asResult({ ...result, ...pathInfo(output) });
}
