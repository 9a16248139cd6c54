/**
 * distribution.py's DistributionFiles.process_dist_files for Linux: the first release file of
 * OSDIST_LIST that exists (with content, unless it may be empty) and whose parser accepts it
 * sets distribution_file_path/variety/parsed and may correct the distribution facts guessed
 * from os-release. test/facts/distribution_files.test.ts runs ansible-core's own class on the
 * same files.
 */

/** The release files as the host has them. */
export interface ReleaseFiles {
  /** get_file_content: the text, stripped, or undefined when the file is missing or holds only whitespace. */
  content(path: string): string | undefined;
  /** _file_exists: the file is there, and not empty unless `allowEmpty`. */
  exists(path: string, allowEmpty: boolean): boolean;
  /** Where a symbolic link resolves to (os.path.realpath), or undefined when the path is no link. */
  linkTarget(path: string): string | undefined;
}

export type DistFacts = Record<string, string | boolean>;

// Every file with the name whose parser reads it, in the order they are tried.
const OSDIST_LIST: readonly { path: string; name: string; allowEmpty?: true }[] = [
  { path: '/etc/altlinux-release', name: 'Altlinux' },
  { path: '/etc/oracle-release', name: 'OracleLinux' },
  { path: '/etc/slackware-version', name: 'Slackware' },
  { path: '/etc/centos-release', name: 'CentOS' },
  { path: '/etc/redhat-release', name: 'RedHat' },
  { path: '/etc/vmware-release', name: 'VMwareESX', allowEmpty: true },
  { path: '/etc/openwrt_release', name: 'OpenWrt' },
  { path: '/etc/os-release', name: 'Amazon' },
  { path: '/etc/system-release', name: 'Amazon' },
  { path: '/etc/alpine-release', name: 'Alpine' },
  { path: '/etc/arch-release', name: 'Archlinux', allowEmpty: true },
  { path: '/etc/os-release', name: 'Archlinux' },
  { path: '/etc/os-release', name: 'SUSE' },
  { path: '/etc/SuSE-release', name: 'SUSE' },
  { path: '/etc/gentoo-release', name: 'Gentoo' },
  { path: '/etc/os-release', name: 'Debian' },
  { path: '/etc/lsb-release', name: 'Debian' },
  { path: '/etc/lsb-release', name: 'Mandriva' },
  { path: '/etc/sourcemage-release', name: 'SMGL' },
  { path: '/usr/lib/os-release', name: 'ClearLinux' },
  { path: '/etc/coreos/update.conf', name: 'Coreos' },
  { path: '/etc/os-release', name: 'Flatcar' },
  { path: '/etc/os-release', name: 'NA' },
];

/** The files the parsers read, each once: the release files and the Debian parser's debian_version. */
export const RELEASE_FILES: readonly string[] = [...new Set([...OSDIST_LIST.map((entry) => entry.path), '/etc/debian_version'])];
/** The paths that count even when empty. */
export const EMPTY_RELEASE_FILES: readonly string[] = OSDIST_LIST.filter((entry) => entry.allowEmpty).map((entry) => entry.path);
/** The link SUSE's parser resolves. */
export const SUSE_BASEPRODUCT = '/etc/products.d/baseproduct';

const SEARCH_STRING: Readonly<Record<string, string>> = { OracleLinux: 'Oracle Linux', RedHat: 'Red Hat', Altlinux: 'ALT', SMGL: 'Source Mage GNU/Linux' };
const OS_RELEASE_ALIAS: Readonly<Record<string, string>> = { Archlinux: 'Arch Linux' };

/** What parsers read besides their file: other files, and get_distribution() (distro's name). */
interface Host {
  files: ReleaseFiles;
  distro: string;
}

type Parser = (name: string, data: string, path: string, collected: DistFacts, host: Host) => DistFacts | null;

/** OpenWrt's and Mandriva's parsers (the same in distribution.py): DISTRIB_RELEASE and DISTRIB_CODENAME of a file that names `marker`. */
function distribReleaseParser(marker: string): Parser {
  return (name, data) => {
    if (!data.includes(marker)) return null;
    const facts: DistFacts = { distribution: name };
    const version = group(/DISTRIB_RELEASE="(.*)"/, data);
    if (version !== undefined) facts.distribution_version = version;
    const release = group(/DISTRIB_CODENAME="(.*)"/, data);
    if (release !== undefined) facts.distribution_release = release;
    return facts;
  };
}

/** Python's str.strip(chars). */
function strip(text: string, chars: string): string {
  let [start, end] = [0, text.length];
  while (start < end && chars.includes(text[start] as string)) start += 1;
  while (end > start && chars.includes(text[end - 1] as string)) end -= 1;
  return text.slice(start, end);
}

/** re.search(pattern, text).group(1), or undefined. */
function group(pattern: RegExp, text: string): string | undefined {
  return pattern.exec(text)?.[1];
}

const PARSERS: Readonly<Record<string, Parser>> = {
  Slackware(name, data) {
    if (!data.includes('Slackware')) return null;
    const version = /\w+[.]\w+\+?/.exec(data)?.[0];
    return { distribution: name, ...(version ? { distribution_version: version } : {}) };
  },
  Amazon(_name, data, path) {
    if (!data.includes('Amazon')) return null;
    const facts: DistFacts = { distribution: 'Amazon' };
    if (path === '/etc/os-release') {
      const version = group(/VERSION_ID="(.*)"/, data);
      if (version !== undefined) {
        facts.distribution_version = version;
        const parts = version.split('.');
        // `major, minor = version_data` raises past two parts, failing setup; fleet keeps the first two.
        facts.distribution_major_version = parts[0] as string;
        facts.distribution_minor_version = parts.length > 1 ? (parts[1] as string) : 'NA';
      }
    } else {
      facts.distribution_version = data.split(/\s+/).find((word) => /^\d+$/.test(word)) ?? 'NA';
    }
    return facts;
  },
  OpenWrt: distribReleaseParser('OpenWrt'),
  Alpine(_name, data) {
    return { distribution: 'Alpine', distribution_version: data };
  },
  SUSE(_name, data, path, collected, { files }) {
    if (!data.toLowerCase().includes('suse')) return null;
    const facts: DistFacts = {};
    const lower = data.toLowerCase();
    if (path === '/etc/os-release') {
      for (const line of data.split(/\r\n|\r|\n/)) {
        const distribution = group(/^NAME=(.*)/, line);
        if (distribution !== undefined) facts.distribution = strip(distribution, '"');
        const version = group(/^VERSION_ID="?([0-9]+\.?[0-9]*)"?/, line);
        if (version !== undefined) {
          facts.distribution_version = version;
          facts.distribution_major_version = version.split('.')[0] as string;
        }
        if (lower.includes('open')) {
          const release = group(/^VERSION_ID="?[0-9]+\.?([0-9]*)"?/, line);
          if (release !== undefined) facts.distribution_release = release;
        } else if (lower.includes('enterprise') && line.includes('VERSION_ID')) {
          facts.distribution_release = group(/^VERSION_ID="?[0-9]+\.?([0-9]*)"?/, line) || '0';
        }
      }
    } else if (path === '/etc/SuSE-release') {
      const lines = data.split(/\r\n|\r|\n/);
      if (lower.includes('open')) {
        facts.distribution = (files.content(path) ?? '').split(/\r\n|\r|\n/)[0]?.split(/\s+/)[0] ?? '';
        for (const line of lines) {
          const release = group(/CODENAME *= *([^\n]+)/, line);
          if (release !== undefined) facts.distribution_release = release.trim();
        }
      } else if (lower.includes('enterprise')) {
        if (data.includes('Server')) facts.distribution = 'SLES';
        else if (data.includes('Desktop')) facts.distribution = 'SLED';
        for (const line of lines) {
          const release = group(/PATCHLEVEL = ([0-9]+)/, line);
          if (release !== undefined) {
            facts.distribution_release = release;
            facts.distribution_version = `${String(collected.distribution_version)}.${release}`;
          }
        }
      }
    }
    if (files.linkTarget(SUSE_BASEPRODUCT)?.endsWith('SLES_SAP.prod')) facts.distribution = 'SLES_SAP';
    return facts;
  },
  Debian(_name, data, path, _collected, { files }) {
    const facts: DistFacts = {};
    if (data.includes('Debian') || data.includes('Raspbian')) {
      facts.distribution = 'Debian';
      const release = group(/PRETTY_NAME=[^(]+ \(?([^)]+?)\)/, data);
      if (release !== undefined) facts.distribution_release = release;
      // Where the release is NA, distribution.py runs "dpkg --status tzdata|grep Provides|cut
      // -f2 -d'-'" without a shell: dpkg gets the pipes as package names and -f2, which it
      // refuses (rc 2), so nothing changes.
      for (const line of files.content('/etc/debian_version')?.split(/\r\n|\r|\n/) ?? []) {
        const minor = group(/\d+\.(\d+)/, line.trim());
        if (minor !== undefined) facts.distribution_minor_version = minor;
      }
    } else if (data.includes('Ubuntu')) {
      facts.distribution = 'Ubuntu';
    } else if (data.includes('SteamOS')) {
      facts.distribution = 'SteamOS';
    } else if ((path === '/etc/lsb-release' || path === '/etc/os-release') && (data.includes('Kali') || data.includes('Parrot'))) {
      facts.distribution = data.includes('Kali') ? 'Kali' : 'Parrot';
      const release = group(/DISTRIB_RELEASE=(.*)/, data);
      if (release !== undefined) facts.distribution_release = release;
    } else if (data.includes('Devuan')) {
      facts.distribution = 'Devuan';
      const release = group(/PRETTY_NAME="?[^("]+ \(?([^) "]+)\)?/, data);
      if (release !== undefined) facts.distribution_release = release;
      const version = group(/VERSION_ID="(.*)"/, data);
      if (version !== undefined) Object.assign(facts, { distribution_version: version, distribution_major_version: version });
    } else if (data.includes('Cumulus')) {
      facts.distribution = 'Cumulus Linux';
      const version = group(/VERSION_ID=(.*)/, data);
      if (version !== undefined) Object.assign(facts, { distribution_version: version, distribution_major_version: version.split('.')[0] as string });
      const release = group(/VERSION="(.*)"/, data);
      if (release !== undefined) facts.distribution_release = release;
    } else if (data.includes('Mint')) {
      facts.distribution = 'Linux Mint';
      const version = group(/VERSION_ID="(.*)"/, data);
      if (version !== undefined) Object.assign(facts, { distribution_version: version, distribution_major_version: version.split('.')[0] as string });
    } else if (data.includes('UOS') || data.includes('Uos') || data.includes('uos') || data.includes('Deepin') || data.includes('deepin')) {
      facts.distribution = data.includes('UOS') || data.includes('Uos') || data.includes('uos') ? 'Uos' : 'Deepin';
      const release = group(/VERSION_CODENAME="?([^"]+)"?/, data);
      if (release !== undefined) facts.distribution_release = release;
      const version = group(/VERSION_ID="(.*)"/, data);
      if (version !== undefined) Object.assign(facts, { distribution_version: version, distribution_major_version: version.split('.')[0] as string });
    } else {
      return null;
    }
    return facts;
  },
  Mandriva: distribReleaseParser('Mandriva'),
  NA(name, data, _path, collected) {
    const facts: DistFacts = {};
    for (const line of data.split(/\r\n|\r|\n/)) {
      const distribution = group(/^NAME=(.*)/, line);
      if (distribution !== undefined && name === 'NA') facts.distribution = strip(distribution, '"');
      const version = group(/^VERSION=(.*)/, line);
      if (version !== undefined && collected.distribution_version === 'NA') facts.distribution_version = strip(version, '"');
    }
    return facts;
  },
  Coreos(_name, data, _path, _collected, { distro }): DistFacts | null {
    if (distro.toLowerCase() !== 'coreos' || !data) return null;
    const release = group(/^GROUP=(.*)/, data);
    return release === undefined ? {} : { distribution_release: strip(release, '"') };
  },
  Flatcar(_name, data, _path, _collected, { distro }): DistFacts | null {
    if (distro.toLowerCase() !== 'flatcar' || !data) return null;
    const version = group(/VERSION=(.*)/, data);
    if (version === undefined) return {};
    const clean = strip(version, '"');
    return { distribution_major_version: clean.split('.')[0] as string, distribution_version: clean };
  },
  ClearLinux(name, data) {
    if (!name.toLowerCase().includes('clearlinux')) return null;
    const facts: DistFacts = {};
    const pname = group(/NAME="(.*)"/, data);
    if (pname !== undefined) {
      if (!pname.includes('Clear Linux')) return null;
      facts.distribution = pname;
    }
    const version = group(/VERSION_ID=(.*)/, data);
    if (version !== undefined) Object.assign(facts, { distribution_major_version: version, distribution_version: version });
    const release = group(/ID=(.*)/, data);
    if (release !== undefined) facts.distribution_release = release;
    return facts;
  },
  CentOS(_name, data): DistFacts | null {
    if (data.includes('CentOS Stream')) return { distribution_release: 'Stream' };
    if (data.includes('TencentOS Server')) return { distribution: 'TencentOS' };
    return null;
  },
};

function parseDistFile(name: string, content: string, path: string, collected: DistFacts, host: Host): DistFacts | null {
  const data = strip(content, '\'"\\');
  const search = SEARCH_STRING[name];
  if (search !== undefined) {
    return data.includes(search) ? { distribution: name, distribution_file_search_string: search } : { distribution: data.split(/\s+/).filter(Boolean)[0] ?? '' };
  }
  const alias = OS_RELEASE_ALIAS[name];
  if (alias !== undefined) return data.includes(alias) ? { distribution: name } : null;
  // A name without a parser (Gentoo) is never parsed: distribution.py's getattr fails quietly.
  return PARSERS[name]?.(name, data, path, collected, host) ?? null;
}

/**
 * process_dist_files: `guess` (_guess_distribution: distro's answer, whose distribution is
 * also get_distribution()) with what the first accepted release file says.
 */
export function processDistFiles(files: ReleaseFiles, guess: Readonly<Record<string, string>>): DistFacts {
  const facts: DistFacts = { ...guess };
  const host = { files, distro: guess.distribution ?? '' };
  for (const { path, name, allowEmpty } of OSDIST_LIST) {
    if (!files.exists(path, allowEmpty === true)) continue;
    if (allowEmpty) return { ...facts, distribution: name, distribution_file_path: path, distribution_file_variety: name };
    const parsed = parseDistFile(name, files.content(path) ?? '', path, facts, host);
    if (parsed) return { ...facts, distribution: name, distribution_file_path: path, distribution_file_variety: name, distribution_file_parsed: true, ...parsed };
  }
  return facts;
}
