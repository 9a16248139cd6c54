import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ExecScript } from '../../../src/modules/remote.js';
import { parseSourcesFile, PythonIndexError, removeSource, suggestFilename, type SourcesList } from '../../../src/modules/system/apt-sources.js';
import { aptErrorText } from '../../../src/modules/system/apt-update.js';
import { aptRepository } from '../../../src/modules/system/apt_repository.js';
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
    return { rc: 0, stdout: script.includes('update -q') ? record('updated', '1') : '', stderr: '' };
  };
}

describe('apt_repository scripts pass shellcheck -s sh', () => {
  it('reads, writes, deletes and updates', async () => {
    const bodies: string[] = [];
    const libraries = new Set<string>();
    const exec = debianHost(bodies, libraries);
    expect(await runModule(aptRepository, { repo: 'deb http://b/ x main', mode: '0600' }, { exec })).toMatchObject({ changed: true, diff: {} });
    expect(await runModule(aptRepository, { repo: 'ppa:o/n', state: 'absent', update_cache: false }, { exec })).toMatchObject({ changed: false });
    expect(await runModule(aptRepository, { repo: 'deb http://a/ x main', state: 'absent', update_cache: false }, { exec })).toMatchObject({ changed: true });
    expect(bodies.some((body) => body.includes('rm -f -- /etc/apt/sources.list'))).toBe(true);
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
