import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { findFilesModule } from '../../../src/modules/files/find.js';
import { findBatchScript } from '../../../src/modules/files/find-walk.js';
import type { Userland } from '../../../src/shell/userland.js';
import { ageMatches, contentMatches, nameMatches, parseAge, parseSize } from '../../../src/modules/files/find-filters.js';
import { PyFloat } from '../../../src/template/values.js';
import { normalize } from './differential.js';
import { buildTree, localUserland, makeContext, runModule, snapshotTree, type TreeSetup } from './harness.js';

/**
 * cases/find.json run through fleet's find on a real shell, against what ansible-playbook 2.14
 * returned for the same trees (fixtures/find.json, scripts/gen-files-fixtures.py find). The
 * files' order is os.walk's (readdir order, files before directories), so it is compared too.
 */
interface Case {
  name: string;
  setup?: TreeSetup[];
  args: Record<string, unknown>;
}

const here = new URL('.', import.meta.url).pathname;
const cases = (JSON.parse(readFileSync(join(here, 'cases', 'find.json'), 'utf8')) as { cases: Case[] }).cases;
const fixtures = JSON.parse(readFileSync(join(here, 'fixtures', 'find.json'), 'utf8')) as Record<string, { runs: Record<string, unknown>[]; tree: Record<string, unknown> }>;

// Inode and device numbers belong to each run's own tree; times are already `<time>`.
const PER_TREE_KEYS = new Set(['inode', 'dev']);

function comparable(value: unknown, root?: string): unknown {
  const normalized = normalize(JSON.parse(JSON.stringify(value, (_key, item: unknown) => (item instanceof PyFloat ? item.value : item))), root);
  const strip = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(strip);
    if (item && typeof item === 'object') {
      return Object.fromEntries(
        Object.entries(item)
          .filter(([key]) => !PER_TREE_KEYS.has(key))
          .map(([key, inner]) => [root ? key.split(root).join('@ROOT@') : key, strip(inner)]),
      );
    }
    return item;
  };
  return strip(normalized);
}

describe('find matches ansible-playbook 2.14', () => {
  for (const testCase of cases) {
    test(testCase.name, async () => {
      const work = mkdtempSync(join(tmpdir(), 'fleet-find-'));
      try {
        const root = join(work, 'host');
        buildTree(root, testCase.setup ?? []);
        const args = JSON.parse(JSON.stringify(testCase.args).split('@ROOT@').join(root)) as Record<string, unknown>;
        const result = await runModule(findFilesModule, args, makeContext({ cwd: root, controllerDir: work }));
        const expected = fixtures[testCase.name];
        if (!expected) throw new Error(`no fixture for ${testCase.name}; run scripts/gen-files-fixtures.py find`);
        expect(comparable(result, root)).toEqual(comparable(expected.runs[0]));
        const tree = (snapshot: Record<string, unknown>) => Object.keys(snapshot).sort();
        expect(tree(snapshotTree(root))).toEqual(tree(expected.tree));
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  }
});

// What python3 -c 'import fnmatch, re; …' gives for the same inputs (find.py's pfilter, contentfilter, age/size parsing).
describe('find filters', () => {
  test.each([
    ['a.txt', ['*.txt'], [], false, true],
    ['.a.txt', ['*.txt'], [], false, true],
    ['a.TXT', ['*.txt'], [], false, false],
    ['[x].txt', ['[[]x].txt'], [], false, true],
    ['b.log', ['*.log'], ['b*'], false, false],
    ['xa.ogg', ['a'], [], true, false],
    ['a.ogg', ['a'], [], true, true],
    ['a.ogg', ['.*'], ['.*\\.ogg'], true, false],
  ])('pfilter(%j, %j, %j, use_regex=%j) is %j', (name, patterns, excludes, useRegex, expected) => {
    expect(nameMatches(name, patterns, excludes, useRegex)).toBe(expected);
  });

  test('age and size strings', () => {
    expect([parseAge('2w'), parseAge('-3D'), parseAge('10'), parseAge('3x'), parseAge('1 d')]).toEqual([1209600, -259200, 10, null, null]);
    expect([parseSize('1k'), parseSize('-2M'), parseSize('7b'), parseSize('5 kb')]).toEqual([1024, -2097152, 7, null]);
    expect([ageMatches(100, 200, 100), ageMatches(101, 200, 100), ageMatches(100, 200, -100), ageMatches(99, 200, -100)]).toEqual([true, false, true, false]);
  });

  test('contains: line by line with match(), or the whole text with search()', () => {
    const text = Buffer.from('this file has\na few lines\nending in KO\n');
    expect(contentMatches(text, 'KO$', false)).toBe(false);
    expect(contentMatches(text, '.*KO$', false)).toBe(true);
    expect(contentMatches(text, 'KO$', true)).toBe(true);
    expect(contentMatches(text, 'has\na few', false)).toBe(false);
    expect(contentMatches(text, 'has\na few', true)).toBe(true);
    expect(contentMatches(Buffer.from('KO\r\n'), 'KO$', true)).toBe(true);
    expect(contentMatches(Buffer.from('KO\n\xff\n', 'latin1'), 'KO', false)).toBe(false);
    expect(contentMatches(Buffer.concat([Buffer.from(`KO\n${'x'.repeat(9000)}`), Buffer.from([0xff])]), 'KO', false)).toBe(true);
    expect(contentMatches(null, 'KO', false)).toBe(false);
  });
});

// shellcheck.test.ts checks the scripts find sends; the batch script find -exec runs is inside one as a string.
test.each([localUserland(), { system: 'Darwin', machine: 'arm64', stat: 'bsd', sha1: 'shasum', base64Decode: '-D', uname: 'Darwin mac.local 23.1.0 Darwin Kernel Version 23.1.0: Mon Oct  9 21:27:24 PDT 2023; root:xnu-10002.41.9~6/RELEASE_ARM64_T6000 arm64', home: '/Users/admin' } as Userland])(
  'the per-batch script passes shellcheck -s sh ($system)',
  async (userland) => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-find-sc-'));
    try {
      const path = join(dir, 'batch.sh');
      writeFileSync(path, findBatchScript(userland));
      const result = await execa('shellcheck', ['-s', 'sh', '-e', 'SC2034,SC2317', path], { reject: false });
      expect(result.stdout).toBe('');
      expect(result.exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
