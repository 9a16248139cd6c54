import { PyDict, type PyValue } from '../template/values.js';
import { one, type FactFamily } from './family.js';

// statvfs fields as GNU `stat -f` prints them: f_frsize f_bsize f_blocks f_bavail f_files f_ffree.
const STATFS_FORMAT = '%S %s %b %a %c %d %n';

/**
 * hardware/linux.py get_mount_facts: the mtab entries of real devices, each with its statvfs
 * figures (one GNU `stat -f` for all of them; Linux's f_favail is f_ffree) and its UUID.
 * Where linux.py asks lsblk (or udevadm) for the UUID, the /dev/disk/by-uuid link that udev
 * made from the same database is found with `-ef`; where it asks findmnt for bind mounts —
 * a SOURCE shown as `device[/root]` — the shell's mountinfo root field (not `/`) answers.
 * Both only where those tools are installed, as linux.py has them.
 */
export const mountFacts: FactFamily = {
  name: 'mounts',
  collector: 'hardware',
  // The script itself reads mtab's lines as $fleet_mtab (shared_shell.ts fleet_read_files).
  files: { mtab: ['/etc/mtab', '/proc/mounts'], mountinfo: '/proc/$$/mountinfo' },
  command: `# Unescapes mtab's \\040, \\011, \\012 and \\134 into $fleet_path.
fleet_unescape() {
  fleet_path='' fu_rest=$1
  while :; do
    case $fu_rest in
      *\\\\[0-7][0-7][0-7]*) ;;
      *) fleet_path=$fleet_path$fu_rest; return ;;
    esac
    fleet_path=$fleet_path\${fu_rest%%\\\\*} fu_rest=\${fu_rest#*\\\\}
    case $fu_rest in
      040*) fleet_path="$fleet_path " ;;
      011*) fleet_path="$fleet_path	" ;;
      012*) fleet_path=$fleet_path$fleet_nl ;;
      134*) fleet_path=$fleet_path\\\\ ;;
      *) fleet_path=$fleet_path\\\\; continue ;;
    esac
    fu_rest=\${fu_rest#???}
  done
}
# shellcheck disable=SC3013
fleet_mounts() {
  fm_text=$fleet_mtab
  set --
  while [ -n "$fm_text" ]; do
    fm_line=\${fm_text%%"$fleet_nl"*} fm_text=\${fm_text#*"$fleet_nl"}
    fm_dev=\${fm_line%% *} fm_line=\${fm_line#* }
    fm_mnt=\${fm_line%% *} fm_line=\${fm_line#* }
    fm_type=\${fm_line%% *}
    case $fm_dev in /*|\\\\*|*:/*) ;; *) continue ;; esac
    [ "$fm_type" = none ] && continue
    fleet_unescape "$fm_mnt"
    set -- "$@" "$fleet_path"
    if [ -n "$fm_uuid_links" ]; then
      fleet_unescape "$fm_dev"
      for fm_link in /dev/disk/by-uuid/*; do
        if [ "$fm_link" -ef "$fleet_path" ]; then fleet_emit "uuid.$fleet_path" "\${fm_link##*/}"; break; fi
      done
    fi
  done
  [ $# -gt 0 ] && fleet_emit statfs "$(stat -f -c '${STATFS_FORMAT}' -- "$@")"
}
if [ "$fleet_system" = Linux ]; then
  fleet_emit linux 1
  fm_uuid_links=''
  if fleet_bin lsblk || fleet_bin udevadm; then fm_uuid_links=1; fi
  fleet_bin findmnt && fleet_emit findmnt 1
  fleet_mounts
fi`,
  parse(output): Record<string, PyDict[]> {
    if (!output.has('linux') || !output.has('mtab')) return {};
    const sizes = statfsByPath(one(output, 'statfs'));
    const bind = new Set(output.has('findmnt') ? bindMounts(one(output, 'mountinfo')) : []);
    const mounts = new Map<string, PyDict>();
    for (const line of one(output, 'mtab').trim().split('\n')) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4) continue;
      const [device, mount, fstype, options] = fields.map(unescape) as [string, string, string, string];
      if ((!(device.startsWith('/') || device.startsWith('\\')) && !device.includes(':/')) || fstype === 'none') continue;
      // MTAB_BIND_MOUNT_RE ends in a stray quote, so linux.py adds ",bind" whatever the options say.
      const info = new PyDict([['mount', mount], ['device', device], ['fstype', fstype], ['options', bind.has(mount) ? `${options},bind` : options]]);
      for (const [key, value] of sizes.get(mount) ?? []) info.set(key, value);
      info.set('uuid', output.get(`uuid.${device}`)?.[0] || 'N/A');
      mounts.set(mount, info);
    }
    return { mounts: [...mounts.values()] };
  },
};

/** The mount points mountinfo shows with a root other than `/`: what findmnt shows as `device[/root]`. */
function bindMounts(mountinfo: string): string[] {
  return mountinfo.split('\n').map((line) => line.split(' ')).filter((fields) => fields.length > 4 && fields[3] !== '/').map((fields) => unescape(fields[4] as string));
}

/** _replace_octal_escapes: every `\\NNN` is the character with that octal code. */
function unescape(field: string): string {
  return field.replace(/\\[0-9]{3}/g, (escape) => String.fromCharCode(parseInt(escape.slice(1), 8)));
}

/** get_mount_size's figures by mount point, from `stat -f` lines (`%n`, the path, comes last). */
function statfsByPath(text: string): Map<string, [string, PyValue][]> {
  const sizes = new Map<string, [string, PyValue][]>();
  for (const line of text.split('\n')) {
    const match = /^(\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (.*)$/.exec(line);
    if (!match) continue;
    const [frsize, bsize, blocks, bavail, files, ffree] = match.slice(1, 7).map(BigInt) as [bigint, bigint, bigint, bigint, bigint, bigint];
    const int = (value: bigint): number | bigint => (value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value);
    sizes.set(match[7] as string, [
      ['size_total', int(frsize * blocks)],
      ['size_available', int(frsize * bavail)],
      ['block_size', int(bsize)],
      ['block_total', int(blocks)],
      ['block_available', int(bavail)],
      ['block_used', int(blocks - bavail)],
      ['inode_total', int(files)],
      ['inode_available', int(ffree)],
      ['inode_used', int(files - ffree)],
    ]);
  }
  return sizes;
}
