import { keyValueLines } from '../../facts/family.js';
import { Script } from '../../shell/script.js';
import { capitalize } from '../../template/python/text.js';
import { BIN_PATH } from './bin-path.js';

/**
 * Which of hostname.py's strategy classes runs: the `use` option's (STRATS), else systemd's on
 * a Linux host that systemd manages, else the one of the Hostname subclass
 * get_platform_subclass() picks by platform.system() and get_distribution().
 */
export type HostnameStrategy =
  | { kind: 'systemd' | 'alpine' | 'redhat' | 'openrc' | 'darwin' | 'base' }
  /** FileStrategy and its subclasses, each with its own file. */
  | { kind: 'file'; file: string }
  /** Strategies for systems fleet does not manage, refused by name. */
  | { kind: 'unsupported'; strategy: 'freebsd' | 'solaris' }
  /** UnimplementedStrategy: the platform as its failure names it. */
  | { kind: 'unimplemented'; platform: string };

const SYSTEMD = { kind: 'systemd' } as const;
const REDHAT = { kind: 'redhat' } as const;
const DEBIAN = { kind: 'file', file: '/etc/hostname' } as const;
const OPENBSD = { kind: 'file', file: '/etc/myname' } as const;
const SLES = { kind: 'file', file: '/etc/HOSTNAME' } as const;
const DARWIN = { kind: 'darwin' } as const;
const FREEBSD = { kind: 'unsupported', strategy: 'freebsd' } as const;

// hostname.py STRATS: `use: debian` is the systemd strategy there too.
export const STRATEGY_OF_USE: Readonly<Record<string, HostnameStrategy>> = {
  alpine: { kind: 'alpine' },
  debian: SYSTEMD,
  freebsd: FREEBSD,
  generic: { kind: 'base' },
  macos: DARWIN,
  macosx: DARWIN,
  darwin: DARWIN,
  openbsd: OPENBSD,
  openrc: { kind: 'openrc' },
  redhat: REDHAT,
  sles: SLES,
  solaris: { kind: 'unsupported', strategy: 'solaris' },
  systemd: SYSTEMD,
};

/** The Linux Hostname subclasses, by their `distribution`. */
const LINUX_DISTRIBUTIONS: ReadonlyMap<string, HostnameStrategy> = new Map([
  ...['Redhat', 'Centos', 'Anolis', 'Cloudlinuxserver', 'Cloudlinux', 'Alinux', 'Scientific', 'Oracle', 'Virtuozzo', 'Amazon', 'Altlinux', 'Eurolinux'].map((name): [string, HostnameStrategy] => [name, REDHAT]),
  ...['Debian', 'Kylin', 'Cumulus-linux', 'Kali', 'Parrot', 'Ubuntu', 'Linuxmint', 'Linaro', 'Devuan', 'Raspbian', 'Uos', 'Deepin', 'Neon', 'Void', 'Pop'].map((name): [string, HostnameStrategy] => [name, DEBIAN]),
  ['Gentoo', { kind: 'openrc' }],
  ['Alpine', { kind: 'alpine' }],
]);

/** The other platforms' subclasses (distribution None), by platform.system(). */
const PLATFORMS: ReadonlyMap<string, HostnameStrategy> = new Map<string, HostnameStrategy>([
  ['OpenBSD', OPENBSD],
  ['SunOS', { kind: 'unsupported', strategy: 'solaris' }],
  ['FreeBSD', FREEBSD],
  ['NetBSD', FREEBSD],
  ['Darwin', DARWIN],
]);

/** What the detection script found on a Linux host. */
export interface LinuxDetection {
  /** The os-release file's text ('' when there is none). */
  osRelease: string;
  /** ServiceMgrFactCollector.is_systemd_managed: systemctl is found and one of sd_booted's canaries exists. */
  systemdManaged: boolean;
}

/**
 * Linux only: the os-release file distro reads (/etc's, else /usr/lib's) and whether systemd
 * manages the host. Other systems need nothing beyond `uname -s`.
 */
export const DETECTION_SCRIPT = Script.join([
  BIN_PATH,
  Script.raw(`if [ -f /etc/os-release ]; then fleet_emit_file os_release /etc/os-release
elif [ -f /usr/lib/os-release ]; then fleet_emit_file os_release /usr/lib/os-release; fi
if fleet_bin_path systemctl; then
  for fleet_canary in /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/; do
    if [ -e "$fleet_canary" ]; then fleet_emit systemd_managed 1; break; fi
  done
fi`),
]);

// distro's NORMALIZED_OS_ID
const NORMALIZED_OS_ID: Readonly<Record<string, string>> = { ol: 'oracle', 'opensuse-leap': 'opensuse' };

/**
 * get_distribution() on Linux: distro.id() capitalized, with Ansible's two renames. distro.id()
 * is read from os-release's ID only: where a host has none, distro would go on to lsb_release
 * and the /etc/*-release files, which fleet does not read, and the distribution is OtherLinux.
 */
export function linuxDistribution(osRelease: string): string {
  const raw = keyValueLines(osRelease).get('ID') ?? '';
  const id = raw.toLowerCase().replaceAll(' ', '_');
  const distribution = capitalize(NORMALIZED_OS_ID[id] ?? id);
  if (distribution === 'Amzn') return 'Amazon';
  if (distribution === 'Rhel') return 'Redhat';
  return distribution || 'OtherLinux';
}

/** float(VERSION_ID), as SLESHostname computes it when the module loads; null where float() raises. */
function pythonFloat(text: string): number | null {
  return /^\s*[+-]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text.trim().replaceAll('_', '')) : null;
}

/** SLESHostname's strategy: SLES 10 to 12 only (a version such as 12.3 is more than 12). */
function slesStrategy(osRelease: string): HostnameStrategy {
  const version = pythonFloat(keyValueLines(osRelease).get('VERSION_ID') ?? '');
  return version !== null && version >= 10 && version <= 12 ? SLES : { kind: 'unimplemented', platform: 'Linux (Sles)' };
}

/** The strategy hostname.py picks on a host when `use` is not given. */
export function defaultStrategy(system: string, linux: LinuxDetection | null): HostnameStrategy {
  if (system !== 'Linux' || linux === null) {
    // get_distribution() off Linux is distro.id() capitalized: uname's system name there.
    return PLATFORMS.get(system) ?? { kind: 'unimplemented', platform: `${system} (${capitalize(system)})` };
  }
  if (linux.systemdManaged) return SYSTEMD;
  const distribution = linuxDistribution(linux.osRelease);
  if (distribution === 'Sles') return slesStrategy(linux.osRelease);
  return LINUX_DISTRIBUTIONS.get(distribution) ?? { kind: 'unimplemented', platform: `Linux (${distribution})` };
}
