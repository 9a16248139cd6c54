import { one, type FactFamily } from './family.js';

// module_utils/facts/system/pkg_mgr.py PKG_MGRS, in order: the last one present wins.
const PKG_MGRS: readonly (readonly [string, string])[] = [
  ['/usr/bin/rpm-ostree', 'atomic_container'],
  ['/usr/bin/yum', 'yum'],
  ['/usr/bin/dnf', 'dnf'],
  ['/usr/bin/apt-get', 'apt'],
  ['/usr/bin/zypper', 'zypper'],
  ['/usr/sbin/urpmi', 'urpmi'],
  ['/usr/bin/pacman', 'pacman'],
  ['/bin/opkg', 'opkg'],
  ['/usr/pkg/bin/pkgin', 'pkgin'],
  ['/opt/local/bin/pkgin', 'pkgin'],
  ['/opt/tools/bin/pkgin', 'pkgin'],
  ['/opt/local/bin/port', 'macports'],
  ['/usr/local/bin/brew', 'homebrew'],
  ['/opt/homebrew/bin/brew', 'homebrew'],
  ['/sbin/apk', 'apk'],
  ['/usr/sbin/pkg', 'pkgng'],
  ['/usr/sbin/swlist', 'swdepot'],
  ['/usr/bin/emerge', 'portage'],
  ['/usr/sbin/pkgadd', 'svr4pkg'],
  ['/usr/bin/pkg', 'pkg5'],
  ['/usr/bin/xbps-install', 'xbps'],
  ['/usr/local/sbin/pkg', 'pkgng'],
  ['/usr/bin/swupd', 'swupd'],
  ['/usr/sbin/sorcery', 'sorcery'],
  ['/usr/bin/installp', 'installp'],
  ['/QOpenSys/pkgs/bin/yum', 'yum'],
];

const paths = PKG_MGRS.map(([path]) => path).join(' ');

export const pkgMgrFacts: FactFamily = {
  name: 'pkg_mgr',
  collector: 'pkg_mgr',
  needs: ['distribution'],
  command: `for fleet_p in ${paths} /run/ostree-booted; do [ -e "$fleet_p" ] && fleet_emit exists "$fleet_p"; done
if [ -e /usr/bin/rpm ] && /usr/bin/rpm -q --whatprovides /usr/bin/apt-get >/dev/null 2>&1; then fleet_emit apt_rpm 1; fi`,
  parse(output, collected) {
    const exists = new Set(output.get('exists') ?? []);
    const has = (name: string): boolean => PKG_MGRS.some(([path, n]) => n === name && exists.has(path));
    const family = String(collected.get('os_family') ?? '');
    const distribution = String(collected.get('distribution') ?? '');
    const major = parseInt(String(collected.get('distribution_major_version') ?? ''), 10);
    let name = 'unknown';
    for (const [path, n] of PKG_MGRS) {
      if (family === 'Altlinux' && path === '/usr/bin/pkg') continue;
      if (exists.has(path)) name = n;
    }
    if (family === 'RedHat') {
      if (exists.has('/run/ostree-booted')) name = 'atomic_container';
      else if (distribution === 'Fedora') name = Number.isNaN(major) || major >= 23 ? (has('dnf') || Number.isNaN(major) ? 'dnf' : name) : has('yum') ? 'yum' : name;
      else if (distribution === 'Amazon') name = Number.isNaN(major) || major >= 2022 ? (has('dnf') || Number.isNaN(major) ? 'dnf' : name) : has('yum') ? 'yum' : name;
      else name = major < 8 ? 'yum' : 'dnf';
    } else if (family === 'Debian' && name !== 'apt') {
      name = 'apt';
    } else if (family === 'Altlinux' && name === 'apt') {
      name = 'apt_rpm';
    }
    if (name === 'apt' && one(output, 'apt_rpm') === '1') name = 'apt_rpm';
    return { pkg_mgr: name };
  },
};
