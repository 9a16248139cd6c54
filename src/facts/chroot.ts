import { PyDict } from '../template/values.js';
import { type FactFamily } from './family.js';

/**
 * system/chroot.py is_chroot(): $debian_chroot set; else `/` against pid 1's root (same
 * inode and device: `[ -ef ]`); where that cannot be looked at (not root), whether `/`'s
 * inode is not the usual root inode of its file system (256 on btrfs, 128 on xfs, else 2).
 * The inode is the `ino:` that /proc/self/fdinfo shows for `/` opened by the shell itself
 * (Linux 5.14 on); `ls -di /` where it has none. Where chroot.py asks `stat -f` for the file
 * system type, the mounts facts (gathered before) have it: btrfs and xfs are always on a
 * device, so always among them.
 */
export const chrootFacts: FactFamily = {
  name: 'chroot',
  collector: 'chroot',
  needs: ['mounts'],
  command: `# -ef is not POSIX, but dash, bash, ksh, zsh and BSD test all have it.
# shellcheck disable=SC3013
if [ -n "\${debian_chroot-}" ]; then fleet_emit chroot True
elif [ -e /proc/1/root/. ]; then
  if [ / -ef /proc/1/root/. ]; then fleet_emit chroot False; else fleet_emit chroot True; fi
else
  fleet_ino=''
  if [ -r /proc/self/fdinfo ]; then
    while read -r fleet_k fleet_v; do [ "$fleet_k" = ino: ] && fleet_ino=$fleet_v; done 9</ < /proc/self/fdinfo/9
  fi
  [ -n "$fleet_ino" ] || fleet_ino=$(ls -di /)
  fleet_emit root_inode "\${fleet_ino%% *}"
fi`,
  parse(output, collected) {
    const answer = output.get('chroot')?.[0];
    if (answer !== undefined) return { is_chroot: answer === 'True' };
    const mounts = collected.get('mounts');
    const root = Array.isArray(mounts) ? mounts.filter((mount): mount is PyDict => mount instanceof PyDict && mount.get('mount') === '/').pop() : undefined;
    const fs = String(root?.get('fstype') ?? '');
    const rootInode = fs.includes('btrfs') ? 256 : fs.includes('xfs') ? 128 : 2;
    return { is_chroot: Number(output.get('root_inode')?.[0]) !== rootInode };
  },
};
