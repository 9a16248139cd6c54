/**
 * The release-file facts (distribution_file_*, and what the parsers correct) against
 * ansible-core's own DistributionFiles.process_dist_files, run by /usr/bin/python3 on the same
 * files (ansible_dist_files.py) with the same guess from os-release: one fixture per
 * distribution family the parsers tell apart. The Debian sandbox hosts' own files are compared
 * by parity.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processDistFiles } from '../../src/facts/distribution_files.js';

interface Fixture {
  files: Record<string, string>;
  guess: Record<string, string>;
  links?: Record<string, string>;
}

const guess = (distribution: string, version: string, release: string): Record<string, string> => ({
  distribution, distribution_version: version, distribution_release: release, distribution_major_version: version.split('.')[0] || 'NA',
});

const FIXTURES: Record<string, Fixture> = {
  debian: {
    files: { '/etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n', '/etc/debian_version': '12.11\n' },
    guess: guess('Debian', '12.11', 'bookworm'),
  },
  ubuntu: {
    files: { '/etc/os-release': 'PRETTY_NAME="Ubuntu 22.04.3 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.3 LTS (Jammy Jellyfish)"\nID=ubuntu\nID_LIKE=debian\nUBUNTU_CODENAME=jammy\n', '/etc/debian_version': 'bookworm/sid\n', '/etc/lsb-release': 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\n' },
    guess: guess('Ubuntu', '22.04', 'jammy'),
  },
  rhel: {
    files: { '/etc/redhat-release': 'Red Hat Enterprise Linux release 9.2 (Plow)\n', '/etc/os-release': 'NAME="Red Hat Enterprise Linux"\nVERSION_ID="9.2"\nID="rhel"\n' },
    guess: guess('RedHat', '9.2', 'Plow'),
  },
  rocky: {
    files: { '/etc/redhat-release': 'Rocky Linux release 9.2 (Blue Onyx)\n', '/etc/os-release': 'NAME="Rocky Linux"\nVERSION_ID="9.2"\nID="rocky"\n' },
    guess: guess('Rocky', '9.2', 'Blue Onyx'),
  },
  centosStream: {
    files: { '/etc/centos-release': 'CentOS Stream release 9\n', '/etc/redhat-release': 'CentOS Stream release 9\n', '/etc/os-release': 'NAME="CentOS Stream"\nVERSION_ID="9"\nID="centos"\n' },
    guess: guess('CentOS', '9', ''),
  },
  oracle: {
    files: { '/etc/oracle-release': 'Oracle Linux Server release 8.8\n', '/etc/redhat-release': 'Red Hat Enterprise Linux release 8.8 (Ootpa)\n' },
    guess: guess('OracleLinux', '8.8', ''),
  },
  amazon2: {
    files: { '/etc/os-release': 'NAME="Amazon Linux"\nVERSION="2"\nID="amzn"\nVERSION_ID="2"\n', '/etc/system-release': 'Amazon Linux release 2 (Karoo)\n' },
    guess: guess('Amazon', '2', 'NA'),
  },
  amazon2023: {
    files: { '/etc/os-release': 'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nVERSION_ID="2023.2"\n' },
    guess: guess('Amazon', '2023.2', 'NA'),
  },
  alpine: {
    files: { '/etc/alpine-release': '3.18.4\n', '/etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.18.4\n' },
    guess: guess('Alpine', '3.18.4', 'NA'),
  },
  arch: {
    files: { '/etc/arch-release': '', '/etc/os-release': 'NAME="Arch Linux"\nID=arch\nBUILD_ID=rolling\n' },
    guess: guess('Archlinux', 'NA', ''),
  },
  archWithoutReleaseFile: {
    files: { '/etc/os-release': 'NAME="Arch Linux"\nPRETTY_NAME="Arch Linux"\nID=arch\n' },
    guess: guess('Archlinux', 'NA', ''),
  },
  openSuseLeap: {
    files: { '/etc/os-release': 'NAME="openSUSE Leap"\nVERSION="15.5"\nID="opensuse-leap"\nID_LIKE="suse opensuse"\nVERSION_ID="15.5"\n' },
    guess: guess('openSUSE Leap', '15.5', ''),
  },
  slesSap: {
    files: { '/etc/os-release': 'NAME="SLES"\nVERSION="15-SP4"\nVERSION_ID="15.4"\nPRETTY_NAME="SUSE Linux Enterprise Server 15 SP4"\nID="sles"\nCPE_NAME="cpe:/o:suse:sles:15:sp4"\n' },
    guess: guess('SLES', '15.4', ''),
    links: { '/etc/products.d/baseproduct': '/etc/products.d/SLES_SAP.prod' },
  },
  gentoo: {
    files: { '/etc/gentoo-release': 'Gentoo Base System release 2.14\n', '/etc/os-release': 'NAME=Gentoo\nID=gentoo\nPRETTY_NAME="Gentoo Linux"\n' },
    guess: guess('Gentoo', 'NA', ''),
  },
  kali: {
    files: { '/etc/os-release': 'PRETTY_NAME="Kali GNU/Linux Rolling"\nNAME="Kali GNU/Linux"\nVERSION_ID="2023.3"\nID=kali\nID_LIKE=debian\n', '/etc/debian_version': 'kali-rolling\n' },
    guess: guess('Kali', '2023.3', 'kali-rolling'),
  },
  devuan: {
    files: { '/etc/os-release': 'PRETTY_NAME="Devuan GNU/Linux 4 (chimaera)"\nNAME="Devuan GNU/Linux"\nVERSION_ID="4"\nID=devuan\n', '/etc/debian_version': '11.0\n' },
    guess: guess('Devuan', '4', 'chimaera'),
  },
  mint: {
    files: { '/etc/os-release': 'NAME="Linux Mint"\nVERSION="21.2 (Victoria)"\nID=linuxmint\nID_LIKE="ubuntu debian"\nVERSION_ID="21.2"\n' },
    guess: guess('Linux Mint', '21.2', 'victoria'),
  },
  flatcar: {
    files: { '/etc/os-release': 'NAME="Flatcar Container Linux by Kinvolk"\nID=flatcar\nVERSION=3510.2.1\nVERSION_ID=3510.2.1\n' },
    guess: guess('Flatcar', '3510.2.1', 'NA'),
  },
  clearLinux: {
    files: { '/usr/lib/os-release': 'NAME="Clear Linux OS"\nVERSION=1\nID=clear-linux-os\nVERSION_ID=40120\n' },
    guess: guess('Clear Linux OS', '40120', 'NA'),
  },
  slackware: {
    files: { '/etc/slackware-version': 'Slackware 15.0\n', '/etc/os-release': 'NAME=Slackware\nVERSION="15.0"\nID=slackware\n' },
    guess: guess('Slackware', '15.0', ''),
  },
  openwrt: {
    files: { '/etc/openwrt_release': "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE=\"23.05.0\"\nDISTRIB_CODENAME=\"openwrt\"\n", '/etc/os-release': 'NAME="OpenWrt"\nVERSION="23.05.0"\n' },
    guess: guess('OpenWrt', '23.05.0', ''),
  },
  mandriva: {
    files: { '/etc/lsb-release': 'DISTRIB_ID=MandrivaLinux\nDISTRIB_RELEASE="2010.2"\nDISTRIB_CODENAME="turtle"\nDISTRIB_DESCRIPTION="Mandriva Linux 2010.2"\n' },
    guess: guess('Mandriva', 'NA', 'NA'),
  },
  unknown: {
    files: { '/etc/os-release': 'NAME="Some Linux"\nVERSION="7 (x)"\nID=some\n' },
    guess: guess('Some', 'NA', ''),
  },
  nothing: { files: {}, guess: guess('OtherLinux', 'NA', 'NA') },
};

const HARNESS = join(import.meta.dirname, 'ansible_dist_files.py');

function ansibleAnswer(fixture: Fixture): Record<string, unknown> | null {
  try {
    return JSON.parse(execFileSync('/usr/bin/python3', [HARNESS], { input: JSON.stringify(fixture), encoding: 'utf8' })) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const hasAnsibleCore = ansibleAnswer(FIXTURES.nothing as Fixture) !== null;

describe.skipIf(!hasAnsibleCore)("release-file facts, as ansible-core's DistributionFiles finds them", () => {
  it.each(Object.keys(FIXTURES))('%s', (name) => {
    const fixture = FIXTURES[name] as Fixture;
    const files = {
      content: (path: string) => fixture.files[path]?.trim() || undefined,
      exists: (path: string, allowEmpty: boolean) => path in fixture.files && (allowEmpty || (fixture.files[path] as string).length > 0),
      linkTarget: (path: string) => fixture.links?.[path],
    };
    expect(processDistFiles(files, fixture.guess)).toEqual(ansibleAnswer(fixture));
  });
});
