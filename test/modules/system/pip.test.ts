import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { specifierContains } from '../../../src/modules/system/pep440.js';
import { isPresent, makePackage, recoverPackageNames } from '../../../src/modules/system/pip-requirement.js';
import { pipScript, type PipScriptPlan } from '../../../src/modules/system/pip-shell.js';
import type { Userland } from '../../../src/shell/userland.js';

const userland: Userland = { system: 'Darwin', machine: 'arm64', stat: 'bsd', sha1: 'shasum', base64Decode: '-D', uname: 'Darwin box', home: '/Users/me' };

describe('pip.py reading of names (pkg_resources answers, checked with python3 on Debian 12)', () => {
  it('recovers split specifiers and prints requirements as pkg_resources does', () => {
    expect(recoverPackageNames(['django>1.11.1', '<1.11.3', 'ipaddress', 'simpleproject>1.1.0', '<2.0.0'])).toEqual(['django>1.11.1,<1.11.3', 'ipaddress', 'simpleproject>1.1.0,<2.0.0']);
    expect(recoverPackageNames(['pkg[a,b]>1', '<2'])).toEqual(['pkg[a,b]>1,<2']);
    expect(makePackage('foo >= 1.0, <2').text).toBe('foo<2,>=1.0');
    expect(makePackage('Foo_Bar[x]>1')).toMatchObject({ text: 'Foo_Bar[x]>1', packageName: 'foo-bar' });
    expect(makePackage('foo @ file:///tmp/x').text).toBe('foo@ file:///tmp/x');
    expect(makePackage('/tmp/x.whl')).toMatchObject({ text: '/tmp/x.whl', requirement: null });
    expect(makePackage('git+https://x/y').requirement).toBeNull();
    expect(makePackage('alpha', '2.0').text).toBe('alpha==2.0');
    expect(makePackage('alpha', '>=2.0').text).toBe('alpha>=2.0');
    // Package() keeps the bare name when name and version together do not parse.
    expect(makePackage('alpha', 'abc').text).toBe('alpha');
  });

  it('decides presence from pip list lines as Specifier.contains(prereleases=True) does', () => {
    const installed = ['Alpha.Pkg==1.4', 'beta==2.0rc1', 'gamma==1.0+local', 'delta==3.0.post1'];
    expect(isPresent(makePackage('alpha_pkg>=1.0,<2'), installed)).toBe(true);
    expect(isPresent(makePackage('alpha-pkg~=1.5'), installed)).toBe(false);
    expect(isPresent(makePackage('alpha-pkg==1.*'), installed)).toBe(true);
    expect(isPresent(makePackage('beta>=2.0rc0'), installed)).toBe(true);
    expect(isPresent(makePackage('beta<2.0'), installed)).toBe(false);
    expect(isPresent(makePackage('gamma==1.0'), installed)).toBe(true);
    expect(isPresent(makePackage('gamma>1.0'), installed)).toBe(false);
    expect(isPresent(makePackage('delta>3.0'), installed)).toBe(false);
    expect(isPresent(makePackage('delta'), installed)).toBe(true);
    expect(isPresent(makePackage('/tmp/delta.whl'), installed)).toBe(false);
    expect(specifierContains('~=', '2.2', '2.9')).toBe(true);
    expect(specifierContains('~=', '2.2.0', '2.3')).toBe(false);
    expect(specifierContains('!=', '1.0', '1.0.0')).toBe(false);
    expect(specifierContains('>=', '1!0.1', '2.0')).toBe(false);
  });
});

describe('pip scripts pass shellcheck -s sh', () => {
  const base: PipScriptPlan = { chdir: null, umask: null, venv: null, creation: null, source: { kind: 'interpreter' }, interpreters: ['/usr/bin/python3', 'python3'], stopAfter: null, args: ['install', 'a b', '~/x'], compareLists: false };
  const plans: PipScriptPlan[] = [
    base,
    { ...base, stopAfter: 'list', source: { kind: 'search', name: 'pip3.11' } },
    { ...base, chdir: '/p d', umask: 0o22, venv: '/v', source: { kind: 'venv' }, compareLists: true, creation: { words: ['virtualenv', '--x'], sitePackages: false, python: 'interpreter', pythonConflict: false } },
    { ...base, venv: '/v', source: { kind: 'venv' }, creation: { words: ['/usr/bin/python3', '-m', 'venv'], sitePackages: true, python: null, pythonConflict: true } },
    { ...base, source: { kind: 'path', path: '$HOME/bin/pip' }, stopAfter: 'pip' },
  ];
  it('every plan shape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-pip-shellcheck-'));
    try {
      const paths = plans.flatMap((plan, index) => {
        const { libraries, body } = pipScript(plan, userland).split();
        return [...libraries, body].map((text, part) => {
          const path = join(dir, `${index}-${part}.sh`);
          writeFileSync(path, text);
          return path;
        });
      });
      const checked = await execa('shellcheck', ['-s', 'sh', '-e', 'SC2016,SC2034,SC2154,SC2317', ...paths], { reject: false });
      expect(checked.stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true });
    }
  }, 60_000);
});
