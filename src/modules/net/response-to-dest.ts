import { sh, Script } from '../../shell/script.js';
import type { AttributeWants } from '../files/attributes.js';
import { attributeWantsScript } from '../files/attributes.js';
import { filesLib } from '../files/shell-lib.js';
import type { ModuleContext } from '../types.js';

/**
 * Shell that puts a kept response body (`$fh_dir/response`, from curlRequestScript) at DEST
 * when its SHA-1 differs from DEST's, through a temp file beside DEST renamed over it (the
 * mode and owner atomic_move gives), then applies the wanted attributes and removes the
 * request's directory. A directory DEST gets the file NAME inside it. Emits `dest`,
 * `changed` (attributes only: callers decide what a write means) and the path info.
 */
export function responseToDestScript(requestDir: string, dest: string, nameInDirectory: string, attributes: AttributeWants, ctx: ModuleContext): Script {
  return Script.join([
    filesLib(ctx.userland),
    attributeWantsScript(attributes),
    sh`fh_dir=${requestDir} dest=${dest} fleet_changed=0`,
    // os.path.join: no second slash after a dest that ends in one.
    sh`if [ -d "$dest" ]; then case $dest in */) dest=\${dest}${nameInDirectory} ;; *) dest=\${dest}/${nameInDirectory} ;; esac; fi`,
    Script.raw(`fleet_sha1 "$fh_dir/response"; fh_new=$fleet_sha1_hex; fh_old=''
if [ -f "$dest" ]; then fleet_sha1 "$dest"; fh_old=$fleet_sha1_hex; fi
if [ "$fh_new" != "$fh_old" ]; then
  fleet_emit written 1
  fleet_tmp_beside "$dest" || { rm -rf -- "$fh_dir"; fleet_fail "failed to copy $fh_dir/response to $dest"; }
  if ! { cp -- "$fh_dir/response" "$fleet_tmp" && fleet_tmp_like "$dest" && mv -f -- "$fleet_tmp" "$dest"; }; then
    rm -f -- "$fleet_tmp"; rm -rf -- "$fh_dir"; fleet_fail "failed to copy $fh_dir/response to $dest"
  fi
fi
rm -rf -- "$fh_dir"
fleet_attrs "$dest" 0
fleet_emit changed "$fleet_changed"
fleet_emit dest "$dest"
fleet_path_info "$dest"`),
  ]);
}
