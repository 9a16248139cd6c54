import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecScript } from '../../../src/modules/remote.js';
import { hostname } from '../../../src/modules/system/hostname.js';
import { defaultStrategy, type HostnameStrategy } from '../../../src/modules/system/hostname-platform.js';
import { scrubbedHostname } from '../../../src/modules/system/hostname-strategies.js';
import { inlineLibraries } from '../../../src/shell/libraries.js';
import type { Userland } from '../../../src/shell/userland.js';
import { runModule } from './harness.js';

const linux: Userland = { system: 'Linux', machine: 'x86_64', stat: 'gnu', sha1: 'sha1sum', base64Decode: '-d', uname: 'Linux box 6.1.0-9-amd64 #1 SMP Debian 6.1.27-1 x86_64', home: '/root' };
const macos: Userland = { system: 'Darwin', machine: 'arm64', stat: 'bsd', sha1: 'shasum', base64Decode: '-D', uname: 'Darwin mac.local 23.1.0 Darwin Kernel Version 23.1.0 arm64', home: '/Users/admin' };

/** The os-release IDs (and versions) and systems whose strategy fleet and hostname.py must agree on. */
const PLATFORM_CASES: { system: string; osRelease: string }[] = [
  ...['debian', 'ubuntu', '"rhel"', 'centos', 'ol', 'amzn', 'almalinux', 'fedora', 'arch', 'alpine', 'gentoo', 'linuxmint', 'pop', 'cumulus-linux', 'altlinux', 'void', 'opensuse-leap', 'Kali', '"Deepin"', ''].map((id) => ({ system: 'Linux', osRelease: id === '' ? 'NAME=x\n' : `NAME=x\nID=${id}\n` })),
  ...['12', '11.4', '12.3', '15', ''].map((version) => ({ system: 'Linux', osRelease: `ID="sles"\nVERSION_ID="${version}"\n` })),
  // (Elsewhere fleet names the platform from uname's system, where distro runs uname -rs.)
  ...['Darwin', 'FreeBSD', 'NetBSD', 'OpenBSD', 'SunOS'].map((system) => ({ system, osRelease: '' })),
];

/**
 * hostname.py's own choice for each case: its Hostname subclass's strategy class (and
 * UnimplementedStrategy's platform words), with distro reading the case's os-release file and
 * platform.system() answering the case's system; the module is reloaded per case, as
 * SLESHostname reads the version when it is defined.
 */
const PYTHON_CHOICES = `
import importlib, json, platform, sys
from ansible.module_utils import distro
from ansible.module_utils.common import sys_info
import ansible.modules.hostname as h
out = []
for system, path in json.loads(sys.argv[1]):
    # distro.id() reads the _distro of the module defining it (the system's distro, when installed).
    sys.modules[distro.id.__module__]._distro = distro.LinuxDistribution(include_lsb=False, os_release_file=path, distro_release_file='/nonexistent', include_uname=False)
    platform.system = lambda system=system: system
    importlib.reload(h)
    cls = sys_info.get_platform_subclass(h.Hostname)
    out.append([cls.strategy_class.__name__, '%s (%s)' % (platform.system(), sys_info.get_distribution())])
print(json.dumps(out))
`;

const CLASS_OF: Record<string, (strategy: HostnameStrategy) => boolean> = {
  FileStrategy: (s) => s.kind === 'file' && s.file === '/etc/hostname',
  SLESStrategy: (s) => s.kind === 'file' && s.file === '/etc/HOSTNAME',
  OpenBSDStrategy: (s) => s.kind === 'file' && s.file === '/etc/myname',
  RedHatStrategy: (s) => s.kind === 'redhat',
  AlpineStrategy: (s) => s.kind === 'alpine',
  OpenRCStrategy: (s) => s.kind === 'openrc',
  DarwinStrategy: (s) => s.kind === 'darwin',
  FreeBSDStrategy: (s) => s.kind === 'unsupported' && s.strategy === 'freebsd',
  SolarisStrategy: (s) => s.kind === 'unsupported' && s.strategy === 'solaris',
};

describe('hostname picks the strategy hostname.py picks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-hostname-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('for each distribution and system, as the module itself decides (python3 with ansible-core 2.14)', async () => {
    const cases = PLATFORM_CASES.map((entry, index) => {
      const path = join(dir, `os-release-${index}`);
      writeFileSync(path, entry.osRelease);
      return [entry.system, path];
    });
    const python = await execa('python3', ['-c', PYTHON_CHOICES, JSON.stringify(cases)], { env: { PYTHONPATH: '/usr/lib/python3/dist-packages' } });
    const choices = JSON.parse(python.stdout) as [string, string][];
    PLATFORM_CASES.forEach((entry, index) => {
      const [className, platform] = choices[index] as [string, string];
      const fleet = defaultStrategy(entry.system, entry.system === 'Linux' ? { osRelease: entry.osRelease, systemdManaged: false } : null);
      const label = `${entry.system} ${JSON.stringify(entry.osRelease)}: ${className}`;
      if (className === 'UnimplementedStrategy') expect(fleet, label).toEqual({ kind: 'unimplemented', platform });
      else expect(CLASS_OF[className]?.(fleet), `${label}, fleet: ${JSON.stringify(fleet)}`).toBe(true);
    });
    // Off Linux, systemd is not asked about; on Linux it wins over the distribution.
    expect(defaultStrategy('Linux', { osRelease: 'ID=rhel\n', systemdManaged: true })).toEqual({ kind: 'systemd' });
  });

  it("scrubs LocalHostName as DarwinStrategy._scrub_hostname does", async () => {
    const names = ["Web Server's #1.local", 'a--b', 'x---y', 'tail-_ ', 'caf\u00e9 (2)', '"quoted"', 'a\\b|c', 'plain'];
    const script = `import json, sys\nimport ansible.modules.hostname as h\ns = h.DarwinStrategy.__new__(h.DarwinStrategy)\nprint(json.dumps([s._scrub_hostname(n) for n in json.loads(sys.argv[1])]))`;
    const python = await execa('python3', ['-c', script, JSON.stringify(names)], { env: { PYTHONPATH: '/usr/lib/python3/dist-packages' } });
    expect(names.map(scrubbedHostname)).toEqual(JSON.parse(python.stdout));
  });
});

/** A script as sent: its body, and the libraries the connection defines before it. */
interface Sent {
  body: string;
  libraries: string[];
}

/** A host whose every command succeeds with `answers` (a record per key): all of a strategy's scripts get rendered. */
const answeringHost =
  (sent: Sent[], answers: Record<string, string>): ExecScript =>
  async (script, options = {}) => {
    sent.push({ body: script, libraries: options.libraries ?? [] });
    const nonce = /fleet_rec=(\S+)/.exec(script)?.[1] ?? '';
    const stdout = Object.entries({ ...answers, nodename: 'box' })
      .map(([key, value]) => `\n${nonce} ${key}\n${value}\n${nonce}.\n`)
      .join('');
    return { rc: 0, stdout, stderr: '' };
  };

/**
 * What shellcheck says of the scripts: each distinct library and each distinct body (less its
 * nonce) once, with shellcheck.test.ts's exclusions (literal user data, prelude variables,
 * indirect calls), and variables set elsewhere (SC2154): a body reads what its libraries set,
 * and hostname's library reads what bin-path's fleet_bin_path sets.
 */
async function shellcheck(scripts: Sent[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-hostname-shellcheck-'));
  const check = async (texts: Set<string>, kind: string, excluded: string): Promise<string> => {
    const paths = [...texts].map((text, index) => {
      const path = join(dir, `${kind}-${index}.sh`);
      writeFileSync(path, `#!/bin/sh\n${text}`);
      return path;
    });
    return (await execa('shellcheck', ['-s', 'sh', '-e', excluded, ...paths], { reject: false })).stdout;
  };
  try {
    const libraries = await check(new Set(scripts.flatMap((script) => script.libraries)), 'library', 'SC2016,SC2034,SC2154,SC2317');
    const bodies = await check(new Set(scripts.map((script) => script.body.replaceAll(/fleet_rec_[0-9a-f]+/g, 'fleet_rec_NONCE'))), 'body', 'SC2016,SC2034,SC2154,SC2317');
    return libraries + bodies;
  } finally {
    rmSync(dir, { recursive: true });
  }
}

/** The whole text of what was sent, libraries first. */
const texts = (sent: Sent[]): string[] => sent.map((script) => inlineLibraries(script.body, script.libraries));

const ran = (key: string, out: string): Record<string, string> => ({ [`${key}_rc`]: '0', [`${key}_stdout`]: out, [`${key}_stderr`]: '' });

describe('hostname scripts', () => {
  // Every script rendered below, shellchecked at the end.
  const rendered: Sent[] = [];
  for (const userland of [linux, macos]) {
    it(`systemd's: hostnamectl's reads, then the static name set before the transient one is read again (${userland.system})`, async () => {
      const sent: Sent[] = [];
      const exec = answeringHost(sent, { ...ran('transient', 'old\n'), ...ran('static', 'old\n'), ...ran('transient_again', 'old\n'), ...ran('set_static', ''), ...ran('set_transient', '') });
      const result = await runModule(hostname, { name: "db01's", use: 'systemd' }, { exec, userland, diff: true });
      expect(result).toMatchObject({ changed: true, name: "db01's", diff: { before: 'hostname = old\n', after: "hostname = db01's\n" } });
      expect(sent).toHaveLength(2);
      expect(texts(sent)[0]).toContain('fleet_capture -p transient_ -o -- "$fleet_bin" --transient status || exit 0\nfleet_capture -p static_ -o -- "$fleet_bin" --static status || exit 0');
      expect(texts(sent)[1]).toContain(`fleet_capture -p set_static_ -o -- "$fleet_bin" --pretty --static set-hostname 'db01'"'"'s' || exit 0\nfleet_capture -p transient_again_ -o -- "$fleet_bin" --transient status || exit 0\nif [ "$fleet_capture_stdout" != 'db01'"'"'s' ]; then\nfleet_capture -p set_transient_ -o -- "$fleet_bin" --transient set-hostname 'db01'"'"'s' || exit 0\nfi`);
      rendered.push(...sent);
    });

    it(`macOS's: scutil's three names read, then set, LocalHostName scrubbed (${userland.system})`, async () => {
      const sent: Sent[] = [];
      const exec = answeringHost(sent, { ...ran('HostName', 'old\n'), ...ran('ComputerName', 'old\n'), ...ran('LocalHostName', 'old\n'), ...ran('set_HostName', ''), ...ran('set_ComputerName', ''), ...ran('set_LocalHostName', '') });
      const result = await runModule(hostname, { name: 'Web Server $(id)', use: 'macos' }, { exec, userland });
      expect(result).toMatchObject({ changed: true, name: 'Web Server $(id)' });
      expect(sent).toHaveLength(2);
      expect(texts(sent)[0]).toContain('hn_find scutil\nfleet_capture -p HostName_ -o -- "$fleet_bin" --get HostName\nfleet_capture -p ComputerName_ -o -- "$fleet_bin" --get ComputerName\nfleet_capture -p LocalHostName_ -o -- "$fleet_bin" --get LocalHostName');
      expect(texts(sent)[1]).toContain(`fleet_capture -p set_HostName_ -o -- "$fleet_bin" --set HostName 'Web Server $(id)' || exit 0\nfleet_capture -p set_ComputerName_ -o -- "$fleet_bin" --set ComputerName 'Web Server $(id)' || exit 0\nfleet_capture -p set_LocalHostName_ -o -- "$fleet_bin" --set LocalHostName Web-Server-id || exit 0`);
      rendered.push(...sent);
    });

    it(`the file strategies' reads and in-place writes (${userland.system})`, async () => {
      const sent: Sent[] = [];
      const answers = { hostname_is_file: '1', hostname: 'old\n', network: 'HOSTNAME=old\n', openrc_is_file: '1', openrc: 'hostname="old"\n', ...ran('set_current', '') };
      for (const use of ['alpine', 'redhat', 'openrc', 'sles', 'openbsd']) {
        const result = await runModule(hostname, { name: 'web01', use }, { exec: answeringHost(sent, answers), userland });
        expect(result, use).toMatchObject({ changed: true });
      }
      expect(texts(sent).join('\n')).toContain('hn_write /etc/sysconfig/network \'HOSTNAME=web01\n\'');
      rendered.push(...sent);
    });
  }

  it('detects the platform with one read-only script on Linux, none elsewhere (unchanged on macOS: no write)', async () => {
    for (const [userland, count] of [[linux, 3], [macos, 1]] as const) {
      const sent: Sent[] = [];
      const exec = answeringHost(sent, { os_release: 'ID=alpine\n', hostname_is_file: '1', hostname: 'old\n', ...ran('HostName', 'x\n'), ...ran('ComputerName', 'x\n'), ...ran('LocalHostName', 'x\n'), ...ran('set_current', '') });
      await runModule(hostname, { name: 'x' }, { exec, userland });
      expect(sent, userland.system).toHaveLength(count);
      rendered.push(...sent);
    }
  });

  it('pass shellcheck -s sh', async () => {
    expect(rendered.length).toBeGreaterThan(20);
    expect(await shellcheck(rendered)).toBe('');
  });
});
