import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ExecScript } from '../../../src/modules/remote.js';
import { parseSourcesFile, PythonIndexError, removeSource, suggestFilename, type SourcesList } from '../../../src/modules/system/apt-sources.js';
import { aptErrorText } from '../../../src/modules/system/apt-update.js';
import { aptRepository } from '../../../src/modules/system/apt_repository.js';
import { aptKeyModule, keysIn, parseKeyId } from '../../../src/modules/system/apt_key.js';
import { runModule } from './harness.js';

// The module's behaviour is checked against ansible-playbook in test/apply/apt_repository.test.ts;
// these pin what that test cannot show (a module crash's traceback differs) and the shell.

const listOf = (text: string): SourcesList => ({ files: new Map([['/s.list', parseSourcesFile(text)]]), newRepos: new Set(), partsDir: '/etc/apt/sources.list.d/' });

describe('apt_repository as modules/apt_repository.py', () => {
  it('names the file from the first word after the type, without options, scheme and user', () => {
    expect(suggestFilename('deb http://x/y stable main', null)).toBe('x_y.list');
    expect(suggestFilename('deb-src [arch=amd64 trusted=yes] https://u:p@h.example.org:8080/a-b/ s main', null)).toBe('h_example_org_8080_a_b.list');
    expect(suggestFilename('deb file:/srv/repo ./', null)).toBe('file_srv_repo.list');
    expect(suggestFilename('deb http://x/y stable main', 'mine')).toBe('mine.list');
    // parts[0] of an empty list: the module dies of an IndexError, whatever `filename` says.
    expect(() => suggestFilename('deb [arch=amd64]', 'mine')).toThrow(PythonIndexError);
  });

  it('pops removed lines by the number they were read with, while iterating the same list', () => {
    const twice = listOf('deb http://a/ x main\ndeb http://a/ x main\n');
    removeSource(twice, 'deb http://a/ x main');
    expect(twice.files.get('/s.list')?.map((line) => line.n)).toEqual([1]);
    const apart = listOf('deb http://a/ x main\n# c\ndeb http://a/ x main\n');
    expect(() => removeSource(apart, 'deb http://a/ x main')).toThrow(PythonIndexError);
  });

  it("gives apt-get update's errors as python-apt's FetchFailedException words them", () => {
    expect(aptErrorText('W: one\nE: Failed to fetch x\n  detail\nE: Some index files failed\n')).toBe('W:one, E:Failed to fetch x, E:Some index files failed');
  });
});

const KEY = '4796959E6D863755';

/** A Debian host with one sources file: it answers the read, and every later script succeeds (`updated` for the cache update). */
function debianHost(bodies: string[], libraries: Set<string>): ExecScript {
  return async (script, options = {}) => {
    bodies.push(script);
    for (const library of options.libraries ?? []) libraries.add(library);
    const nonce = /fleet_rec=(\S+)/.exec(script)?.[1] ?? '';
    const record = (key: string, value: string) => `\n${nonce} ${key}\n${value}\n${nonce}.\n`;
    if (script.includes('apt-config')) {
      return { rc: 0, stdout: record('sourceparts', '/etc/apt/sources.list.d/') + record('file', '/etc/apt/sources.list') + record('content', 'deb http://a/ x main\n'), stderr: '' };
    }
    if (script.includes('fleet_parsable_locale')) return { rc: 0, stdout: record('apt_key', '/usr/bin/apt-key') + record('gpg_rc', '0') + record('gpg_stdout', `pub:u:255:22:${KEY}:1:::u:::scSC:::::ed25519:::0:`) + record('list_rc', '0') + record('list_stdout', ''), stderr: '' };
    if (script.includes('fleet_apt_key=')) return { rc: 0, stdout: record('op_rc', '0') + record('list_rc', '0') + record('list_stdout', `pub   ed25519/${KEY} 2026-11-28 [SC]`), stderr: '' };
    return { rc: 0, stdout: script.includes('update -q') ? record('updated', '1') : '', stderr: '' };
  };
}

describe('apt_key as modules/apt_key.py', () => {
  it("validates ids as int(id, 16) and parse_key_id do", () => {
    expect(parseKeyId('0x4796959e6d863755')).toEqual(['6D863755', '4796959E6D863755', '4796959E6D863755']);
    expect(parseKeyId('F4A2D995D8C3B2C47C8F95404796959E6D863755')).toEqual(['6D863755', '4796959E6D863755', 'F4A2D995D8C3B2C47C8F95404796959E6D863755']);
    expect(parseKeyId('6d86_3755')).toBeNull(); // valid hex for int(), but 9 characters once upper-cased
    for (const bad of ['XYZ', '', null, '12345', '0x']) expect(parseKeyId(bad)).toBeNull();
  });

  it('reads apt-key listings and gpg colon lines, skipping expired keys', () => {
    const listing = 'pub   rsa4096/73A4F27B8DD47936 2021-01-17 [SC] [expires: 2029-01-15]\nsub   rsa4096/A48449044AAD5C5D 2021-01-17 [S]\npub   rsa4096/1111111122222222 2014-01-17 [SC] [expired: 2019-01-15]\n';
    expect(keysIn(listing)).toEqual(['73A4F27B8DD47936', 'A48449044AAD5C5D']);
    expect(keysIn(listing, true)).toEqual(['8DD47936', '4AAD5C5D']);
    expect(keysIn('pub:u:255:22:4796959E6D863755:1795845386:::u:::scSC:::::ed25519:::0:\nfpr:::::::::F4A2:\n')).toEqual(['4796959E6D863755']);
  });
});

describe('apt_repository and apt_key scripts pass shellcheck -s sh', () => {
  it('reads, writes, deletes and updates sources; reads and adds keys', async () => {
    const bodies: string[] = [];
    const libraries = new Set<string>();
    const exec = debianHost(bodies, libraries);
    expect(await runModule(aptRepository, { repo: 'deb http://b/ x main', mode: '0600' }, { exec })).toMatchObject({ changed: true, diff: {} });
    expect(await runModule(aptRepository, { repo: 'ppa:o/n', state: 'absent', update_cache: false }, { exec })).toMatchObject({ changed: false });
    expect(await runModule(aptRepository, { repo: 'deb http://a/ x main', state: 'absent', update_cache: false }, { exec })).toMatchObject({ changed: true });
    expect(bodies.some((body) => body.includes('rm -f -- /etc/apt/sources.list'))).toBe(true);
    expect(await runModule(aptKeyModule, { data: 'binary key', keyring: '/k r.gpg' }, { exec })).toMatchObject({ changed: true, after: [KEY] });
    const dir = mkdtempSync(join(tmpdir(), 'fleet-apt-repository-shellcheck-'));
    try {
      const paths = [...libraries, ...bodies].map((text, index) => {
        const path = join(dir, `${index}.sh`);
        writeFileSync(path, text);
        return path;
      });
      expect((await execa('shellcheck', ['-s', 'sh', '-e', 'SC2016,SC2034,SC2154,SC2317', ...paths], { reject: false })).stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true });
    }
  }, 60_000);
});
