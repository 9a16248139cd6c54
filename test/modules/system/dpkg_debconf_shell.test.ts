import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ExecScript } from '../../../src/modules/remote.js';
import { debconf } from '../../../src/modules/system/debconf.js';
import { dpkgSelections } from '../../../src/modules/system/dpkg_selections.js';
import type { Userland } from '../../../src/shell/userland.js';
import { PyDict } from '../../../src/template/values.js';
import { runModule } from './harness.js';

const linux: Userland = { system: 'Linux', machine: 'x86_64', stat: 'gnu', sha1: 'sha1sum', base64Decode: '-d', uname: 'Linux box', home: '/root' };
const macos: Userland = { system: 'Darwin', machine: 'arm64', stat: 'bsd', sha1: 'shasum', base64Decode: '-D', uname: 'Darwin mac', home: '/Users/admin' };

/** A host whose commands succeed and print `stdout`; it keeps each script's body and libraries. */
const answeringHost =
  (stdout: string, bodies: string[], libraries: Set<string>): ExecScript =>
  async (script, options = {}) => {
    bodies.push(script);
    for (const library of options.libraries ?? []) libraries.add(library);
    const nonce = /fleet_rec=(\S+)/.exec(script)?.[1] ?? '';
    const record = (key: string, value: string) => `\n${nonce} ${key}\n${value}\n${nonce}.\n`;
    return { rc: 0, stdout: record('rc', '0') + record('stdout', stdout) + record('stderr', ''), stderr: '' };
  };

async function shellcheck(bodies: string[], libraries: Set<string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-dpkg-debconf-shellcheck-'));
  const check = async (texts: string[], kind: string) => {
    const paths = texts.map((text, index) => {
      const path = join(dir, `${kind}-${index}.sh`);
      writeFileSync(path, text);
      return path;
    });
    return (await execa('shellcheck', ['-s', 'sh', '-e', 'SC2016,SC2034,SC2154,SC2317', ...paths], { reject: false })).stdout;
  };
  try {
    return (await check([...libraries], 'library')) + (await check(bodies, 'body'));
  } finally {
    rmSync(dir, { recursive: true });
  }
}

// The modules' behaviour is checked against ansible-playbook in test/apply/dpkg_debconf.test.ts.
describe('dpkg_selections and debconf scripts pass shellcheck -s sh', () => {
  it('reads and writes on Linux and macOS userlands', async () => {
    const bodies: string[] = [];
    const libraries = new Set<string>();
    for (const userland of [linux, macos]) {
      const selected = await runModule(dpkgSelections, { name: '~/$PKG', selection: 'hold' }, { exec: answeringHost('pkg\t\tinstall\n', bodies, libraries), userland });
      expect(selected).toEqual({ changed: true, before: 'install', after: 'hold' });
      const set = await runModule(debconf, { name: "a 'b c'", question: 'q', vtype: 'boolean', value: 'True', unseen: true }, { exec: answeringHost('* q: false\n', bodies, libraries), userland });
      expect(set).toMatchObject({ changed: true, current: new PyDict([['q', 'true']]) });
      // The line debconf-set-selections reads: the name as given, the lowered boolean.
      expect(bodies.at(-1)).toContain(Buffer.from("a 'b c' q boolean true\n").toString('base64'));
    }
    expect(bodies.length).toBe(8);
    expect(await shellcheck(bodies, libraries)).toBe('');
  }, 60_000);
});
