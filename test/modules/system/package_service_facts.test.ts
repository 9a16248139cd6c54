/**
 * The parts of package_facts and service_facts that test/apply/package_service_facts.test.ts
 * (compared with ansible-playbook on this machine) cannot reach: dpkg states and
 * architectures this machine has no package in, indexes that disagree, systemd output that
 * makes service_facts.py's parsing stumble, managers this machine lacks, and shellcheck.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecScript } from '../../../src/modules/remote.js';
import { aptPackages } from '../../../src/modules/system/package-facts-apt.js';
import { packageFacts } from '../../../src/modules/system/package_facts.js';
import { mergeUnitFiles, ServiceFactsCrash, systemdUnits, sysvServices } from '../../../src/modules/system/service-facts-parse.js';
import { serviceFacts } from '../../../src/modules/system/service_facts.js';
import { inlineLibraries } from '../../../src/shell/libraries.js';
import { fromPy, PyDict } from '../../../src/template/values.js';
import { localExec, runModule } from './harness.js';

let tools: string;
beforeAll(() => {
  tools = mkdtempSync(join(tmpdir(), 'fleet-package-facts-'));
});
afterAll(() => rmSync(tools, { recursive: true, force: true }));

function tool(name: string, text: string): void {
  writeFileSync(join(tools, name), `#!/bin/sh\n${text}`);
  chmodSync(join(tools, name), 0o755);
}

/** A host whose PATH is `path` (fleet_bin_path still adds the sbin directories). */
const hostWithPath =
  (path: string): ExecScript =>
  (script, options) =>
    localExec(`PATH=${path}; export PATH\n${script}`, options);

const facts = (result: Record<string, unknown>): unknown => fromPy((result['ansible_facts'] as PyDict).get('packages') ?? null);

describe('package_facts apt', () => {
  it('takes section and origin from the first index listing the installed version, and counts only installed states', async () => {
    writeFileSync(join(tools, 'Packages.main'), 'Package: tool\nVersion: 1.0\nArchitecture: amd64\nSection: archive\n\nPackage: other\nArchitecture: all\nVersion: 9\nSection: x\n\nPackage: old\nArchitecture: amd64\nVersion: 0.9\nSection: x\n');
    writeFileSync(join(tools, 'Packages.extra'), 'Package: tool\nVersion: 1.0\nArchitecture: amd64\nSection: later\n\nPackage: nosection\nArchitecture: amd64\nVersion: 1\n');
    tool('apt-get', `printf 'Filename: ${tools}/Packages.main\\nOrigin: Debian\\nSuite: stable\\n\\nFilename: ${tools}/missing\\nOrigin: Gone\\n\\nFilename: ${tools}/Packages.extra\\n'\n`);
    tool('dpkg', 'echo amd64\n');
    tool(
      'dpkg-query',
      [
        String.raw`printf 'S\tinstalled\ttool\tamd64\t1.0\tdpkg\n'`,
        String.raw`printf 'S\tconfig-files\tgone\tamd64\t1\tx\n'`,
        String.raw`printf 'S\tnot-installed\tnever\tamd64\t1\tx\n'`,
        String.raw`printf 'S\thalf-configured\told\tamd64\t1.0\tlocal\n'`,
        String.raw`printf 'S\tunpacked\tlibc6\ti386\t2.36\tlibs\n'`,
        String.raw`printf 'S\tinstalled\tnosection\tamd64\t1\tfromdpkg\n'`,
        String.raw`printf 'S\tinstalled\tlibc6\tamd64\t2.36\tlibs\n'`,
        '',
      ].join('\n'),
    );
    const result = await runModule(packageFacts, { manager: 'apt' }, { exec: hostWithPath(`${tools}:/usr/bin:/bin`) });
    const entry = (name: string, version: string, arch: string, category: string, origin: string) => [{ name, version, arch, category, origin, source: 'apt' }];
    expect(facts(result)).toEqual({
      libc6: entry('libc6', '2.36', 'amd64', 'libs', ''),
      'libc6:i386': entry('libc6:i386', '2.36', 'i386', 'libs', ''),
      nosection: entry('nosection', '1', 'amd64', '', ''),
      old: entry('old', '1.0', 'amd64', 'local', ''),
      tool: entry('tool', '1.0', 'amd64', 'archive', 'Debian'),
    });
    expect(Object.keys(facts(result) as object)).toEqual(['libc6', 'libc6:i386', 'nosection', 'old', 'tool']);
  });

  it('names foreign packages name:arch and sorts the keys as Python sorts str', () => {
    const packages = aptPackages('libc6-dev\tamd64\t1\tlibdevel\tDebian\nlibc6\ti386\t1\tlibs\t\nlibc6\tamd64\t1\tlibs\tDebian\ntzdata\tall\t1\tlocalization\tDebian\n', 'amd64');
    expect([...packages.keys()]).toEqual(['libc6', 'libc6-dev', 'libc6:i386', 'tzdata']);
  });
});

describe('package_facts managers', () => {
  it('refuses unknown managers before looking at the host, with or without auto', async () => {
    expect(await runModule(packageFacts, { manager: ['nope', 'Nope', 'other'] })).toEqual({ failed: true, msg: 'Unsupported package managers requested: nope, other' });
    expect(await runModule(packageFacts, { manager: ['auto', 'nope'] })).toEqual({ failed: true, msg: 'Could not auto detect a usable package manager, check warnings for details.' });
  });

  it('lists what it tried when no manager is there, as on a Mac', async () => {
    const result = await runModule(packageFacts, {}, { exec: hostWithPath(join(tools, 'nothing')) });
    expect(result).toEqual({
      failed: true,
      msg: "Could not detect a supported package manager from the following list: ['apt', 'rpm', 'pacman', 'pkg', 'portage', 'apk', 'pkg_info'], or the required Python library is not installed. Check warnings for details.",
    });
  });

  it('fails, naming it, where a manager fleet does not read would be used', async () => {
    tool('rpm', 'exit 0\n');
    const result = await runModule(packageFacts, { manager: ['RPM', 'apt'], strategy: 'all' }, { exec: hostWithPath(tools) });
    expect(result['msg']).toContain("fleet's package_facts does not read the rpm package manager's database");
  });
});

describe('service_facts parsing of systemctl', () => {
  it('takes a bad state anywhere in a line as its status, dropping the first field as service_facts.py does', () => {
    const units = systemdUnits(
      [
        '  UNIT LOAD ACTIVE SUB DESCRIPTION',
        '● ssh.service loaded failed failed OpenBSD Secure Shell server',
        '  retry.service loaded active running Restarts failed units',
        '  cron.service loaded active running Regular background program processing daemon',
      ].join('\n'),
    );
    expect(fromPy(units)).toEqual({
      'ssh.service': { name: 'ssh.service', state: 'stopped', status: 'failed', source: 'systemd' },
      loaded: { name: 'loaded', state: 'stopped', status: 'failed', source: 'systemd' },
      'cron.service': { name: 'cron.service', state: 'running', status: 'active', source: 'systemd' },
    });
  });

  it("dies where service_facts.py's indexing and unpacking raise", () => {
    expect(() => systemdUnits('  short.service loaded active\n')).toThrow(new ServiceFactsCrash('IndexError: list index out of range'));
    expect(() => mergeUnitFiles('lonely.service\n', new PyDict())).toThrow(new ServiceFactsCrash('ValueError: not enough values to unpack (expected 2, got 1)'));
  });

  it('keeps a bad status over the unit file state and leaves new units for ActiveState', () => {
    const units = systemdUnits('● gone.service not-found inactive dead gone.service\n  up.service loaded active running Up\n');
    const unknown = mergeUnitFiles('gone.service enabled enabled\nup.service disabled enabled\nnew@.service static -\nnew@.service masked -\n', units);
    expect(unknown).toEqual(['new@.service']);
    expect(fromPy(units)).toEqual({
      'gone.service': { name: 'gone.service', state: 'stopped', status: 'not-found', source: 'systemd' },
      'up.service': { name: 'up.service', state: 'running', status: 'disabled', source: 'systemd' },
      'new@.service': { name: 'new@.service', state: null, status: 'masked', source: 'systemd' },
    });
  });

  it("takes `service --status-all`'s + and - lines only", () => {
    expect(fromPy(sysvServices(' [ + ]  a\n [ ? ]  b\n[ - ] c d\n'))).toEqual({
      a: { name: 'a', state: 'running', source: 'sysv' },
      'c d': { name: 'c d', state: 'stopped', source: 'sysv' },
    });
  });
});

describe('package_facts and service_facts scripts pass shellcheck -s sh', () => {
  it('renders scripts shellcheck accepts', async () => {
    const scripts: string[] = [];
    const capture: ExecScript = async (script, options = {}) => {
      scripts.push(inlineLibraries(script, options.libraries));
      const nonce = /^fleet_rec=(\S+)/.exec(script)?.[1] ?? '';
      const record = (key: string, value: string) => `\n${nonce} ${key}\n${value}\n${nonce}.\n`;
      // A systemd host whose unit files name one unit the unit list does not, so the ActiveState script is rendered too.
      const answer = [record('systemctl', '/usr/bin/systemctl'), record('units_rc', '0'), record('units_out', ''), record('unit_files_rc', '0'), record('unit_files_out', 'a.service enabled\n')];
      return { rc: 0, stdout: answer.join(''), stderr: '' };
    };
    await runModule(packageFacts, {}, { exec: capture });
    await runModule(serviceFacts, {}, { exec: capture });
    expect(scripts).toHaveLength(3);
    const dir = mkdtempSync(join(tmpdir(), 'fleet-shellcheck-facts-'));
    try {
      const paths = scripts.map((text, index) => {
        writeFileSync(join(dir, `script-${index}.sh`), text);
        return join(dir, `script-${index}.sh`);
      });
      // As for the other modules: SC2016 (awk programs in single quotes), SC2034 and SC2317 (the prelude's unused parts).
      const checked = await execa('shellcheck', ['-s', 'sh', '-e', 'SC2016,SC2034,SC2317', ...paths], { reject: false });
      expect(checked.stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
