import { EMPTY_RELEASE_FILES, processDistFiles, RELEASE_FILES, SUSE_BASEPRODUCT, type ReleaseFiles } from './distribution_files.js';
import { keyValueLines, one, type FactFamily, type FamilyOutput } from './family.js';

/** The release files as read: grep sends a file that is not empty, the shell says which others exist. */
function releaseFiles(output: FamilyOutput): ReleaseFiles {
  return {
    content: (path) => one(output, `release:${path}`).trim() || undefined,
    exists: (path, allowEmpty) => output.has(`release:${path}`) || (allowEmpty && output.has(`exists.${path}`)),
    linkTarget: (path) => output.get(`link.${path}`)?.[0],
  };
}

/**
 * module_utils/facts/system/distribution.py for Linux (os-release through the `distro`
 * library, Debian's precise version from /etc/debian_version) and macOS (sw_vers).
 */
export const distributionFacts: FactFamily = {
  name: 'distribution',
  collector: 'distribution',
  files: {
    os_release: ['/etc/os-release', '/usr/lib/os-release'],
    debian_version: '/etc/debian_version',
    ...Object.fromEntries(RELEASE_FILES.map((path) => [`release:${path}`, path])),
  },
  // The release files that count even when empty are looked at for existence; SUSE's
  // baseproduct link is resolved (readlink: one step, where distribution.py's realpath
  // follows every link) only where it is one.
  command: `[ "$fleet_system" = Darwin ] && fleet_emit product_version "$(/usr/bin/sw_vers -productVersion 2>/dev/null)"
if [ "$fleet_system" = Linux ]; then
  for fleet_f in ${EMPTY_RELEASE_FILES.join(' ')}; do [ -e "$fleet_f" ] && fleet_emit "exists.$fleet_f" 1; done
  [ -L ${SUSE_BASEPRODUCT} ] && fleet_emit "link.${SUSE_BASEPRODUCT}" "$(readlink ${SUSE_BASEPRODUCT})"
fi
fleet_emit release "$fleet_kernel"
fleet_emit version "$fleet_kernel_version"
fleet_emit system "$fleet_system"`,
  parse(output) {
    const system = one(output, 'system');
    const facts: Record<string, string | boolean> = { distribution: system, distribution_release: one(output, 'release'), distribution_version: one(output, 'version') };
    if (system === 'Darwin') {
      facts.distribution = 'MacOSX';
      const version = one(output, 'product_version').trim().split(/\s+/).pop() ?? '';
      if (version) {
        facts.distribution_major_version = version.split('.')[0] as string;
        facts.distribution_version = version;
      }
    } else if (system === 'Linux') {
      const guess = linuxDistribution(keyValueLines(one(output, 'os_release')), one(output, 'debian_version').trim());
      Object.assign(facts, processDistFiles(releaseFiles(output), guess));
    }
    facts.os_family = OS_FAMILY.get(facts.distribution as string) ?? (facts.distribution as string);
    return facts;
  },
};

// The names Ansible reports for os-release IDs whose `capitalize()` differs from them.
const DISTRIBUTION_NAMES: Record<string, string> = {
  amzn: 'Amazon',
  rhel: 'RedHat',
  centos: 'CentOS',
  ol: 'OracleLinux',
  almalinux: 'AlmaLinux',
  rocky: 'Rocky',
  opensuse: 'openSUSE',
  'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed',
  sles: 'SLES',
  sled: 'SLED',
  linuxmint: 'Linux Mint',
  arch: 'Archlinux',
  pop: 'Pop!_OS',
  clear_linux: 'Clear Linux OS',
};

function linuxDistribution(osRelease: Map<string, string>, debianVersion: string): Record<string, string> {
  const id = (osRelease.get('ID') ?? '').toLowerCase();
  const name = DISTRIBUTION_NAMES[id] ?? (id ? id.charAt(0).toUpperCase() + id.slice(1) : 'OtherLinux');
  let version = osRelease.get('VERSION_ID') ?? '';
  // distro.version(best=True): Debian's /etc/debian_version carries the point release.
  if (id === 'debian' && /^\d+(\.\d+)*$/.test(debianVersion)) version = debianVersion;
  if (id === 'centos') version = version.split('.').slice(0, 2).join('.');
  const codename = osRelease.get('VERSION_CODENAME') ?? osRelease.get('UBUNTU_CODENAME') ?? (/\(([^)]+)\)/.exec(osRelease.get('VERSION') ?? '')?.[1] ?? '');
  const facts: Record<string, string> = {
    distribution: name,
    distribution_version: version,
    distribution_release: codename || 'NA',
    distribution_major_version: version.split('.')[0] || 'NA',
  };
  return facts;
}

const OS_FAMILY_MAP: Record<string, string[]> = {
  RedHat: ['RedHat', 'RHEL', 'Fedora', 'CentOS', 'Scientific', 'SLC', 'Ascendos', 'CloudLinux', 'PSBM', 'OracleLinux', 'OVS', 'OEL', 'Amazon', 'Virtuozzo', 'XenServer', 'Alibaba', 'EulerOS', 'openEuler', 'AlmaLinux', 'Rocky', 'TencentOS', 'EuroLinux', 'Kylin Linux Advanced Server'],
  Debian: ['Debian', 'Ubuntu', 'Raspbian', 'Neon', 'KDE neon', 'Linux Mint', 'SteamOS', 'Devuan', 'Kali', 'Cumulus Linux', 'Pop!_OS', 'Parrot', 'Pardus GNU/Linux', 'Uos', 'Deepin', 'OSMC'],
  Suse: ['SuSE', 'SLES', 'SLED', 'openSUSE', 'openSUSE Tumbleweed', 'SLES_SAP', 'SUSE_LINUX', 'openSUSE Leap'],
  Archlinux: ['Archlinux', 'Antergos', 'Manjaro'],
  Mandrake: ['Mandrake', 'Mandriva'],
  Solaris: ['Solaris', 'Nexenta', 'OmniOS', 'OpenIndiana', 'SmartOS'],
  Slackware: ['Slackware'],
  Altlinux: ['Altlinux'],
  SGML: ['SGML'],
  Gentoo: ['Gentoo', 'Funtoo'],
  Alpine: ['Alpine'],
  AIX: ['AIX'],
  'HP-UX': ['HPUX'],
  Darwin: ['MacOSX'],
  FreeBSD: ['FreeBSD', 'TrueOS'],
  ClearLinux: ['Clear Linux OS', 'Clear Linux Mix'],
  DragonFly: ['DragonflyBSD', 'DragonFlyBSD', 'Gentoo/DragonflyBSD', 'Gentoo/DragonFlyBSD'],
  NetBSD: ['NetBSD'],
};

// distribution.py OS_FAMILY_MAP, inverted.
const OS_FAMILY = new Map(Object.entries(OS_FAMILY_MAP).flatMap(([family, names]) => names.map((name) => [name, family] as const)));
