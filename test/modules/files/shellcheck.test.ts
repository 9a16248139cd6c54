import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { findModule } from '../../../src/modules/index.js';
import type { ExecScript } from '../../../src/modules/remote.js';
import type { Userland } from '../../../src/shell/userland.js';
import { digestFunction } from '../../../src/modules/files/digest.js';
import { fileStates } from '../../../src/modules/files/file-shell.js';
import { filesLib } from '../../../src/modules/files/shell-lib.js';
import { prelude } from '../../../src/shell/prelude.js';
import { Templar } from '../../../src/template/index.js';
import { toPy, type PyDict } from '../../../src/template/values.js';
import { buildTree, localExec, localUserland, makeContext, runModule, type TreeSetup } from './harness.js';

const macos: Userland = { system: 'Darwin', machine: 'arm64', stat: 'bsd', sha1: 'shasum', base64Decode: '-D', uname: 'Darwin mac.local 23.1.0 Darwin Kernel Version 23.1.0: Mon Oct  9 21:27:24 PDT 2023; root:xnu-10002.41.9~6/RELEASE_ARM64_T6000 arm64', home: '/Users/admin' };

interface Case {
  name: string;
  setup?: TreeSetup[];
  controller?: TreeSetup[];
  args: Record<string, unknown>;
  check?: boolean;
  diff?: boolean;
  vars?: Record<string, unknown>;
}

const here = new URL('.', import.meta.url).pathname;
const MODULES = ['copy', 'file', 'stat', 'lineinfile', 'template', 'replace', 'slurp', 'blockinfile', 'tempfile', 'assemble', 'find', 'copy_directory', 'fetch', 'authorized_key', 'known_hosts', 'unarchive'];

/**
 * Every script the differential cases send. On Linux they really run (so later round trips
 * are rendered too); the macOS rendering gets no answers, so it covers each first script.
 */
async function renderedScripts(moduleName: string, userland: Userland, execute: boolean): Promise<string[]> {
  const scripts: string[] = [];
  const { module, cases } = JSON.parse(readFileSync(join(here, 'cases', `${moduleName}.json`), 'utf8')) as { module: string; cases: Case[] };
  for (const testCase of cases) {
    const work = mkdtempSync(join(tmpdir(), 'fleet-sc-'));
    try {
      const root = join(work, 'host');
      const ctrl = join(work, 'ctrl');
      buildTree(root, testCase.setup ?? []);
      buildTree(ctrl, testCase.controller ?? []);
      const real = localExec(root);
      const exec: ExecScript = async (script, options = {}) => {
        // Each library on its own and the body: a library many calls carry is checked once.
        scripts.push(...(options.libraries ?? []), script);
        return execute ? real(script, options) : { rc: 0, stdout: '', stderr: '' };
      };
      const args = JSON.parse(JSON.stringify(testCase.args).split('@ROOT@').join(root).split('@CTRL@').join(ctrl)) as Record<string, unknown>;
      const templar = new Templar({ vars: toPy(testCase.vars ?? {}) as PyDict });
      const ctx = makeContext({ cwd: root, controllerDir: ctrl, check: testCase.check ?? false, diff: testCase.diff ?? false, userland, exec, templar });
      await runModule(findModule(module)!, args, ctx);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return scripts;
}

const sharedLibraries = (userland: Userland) => [prelude(userland), filesLib(userland).text(), fileStates(userland).text(), digestFunction().text()];

/** What `shellcheck -s sh -e EXCLUDED` prints for these texts, each written to a file of its own. */
async function shellcheck(texts: Record<string, string>, excluded: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-shellcheck-'));
  try {
    const paths = Object.entries(texts).map(([name, text]) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    });
    return (await execa('shellcheck', ['-s', 'sh', '-e', excluded, ...paths], { reject: false })).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// SC2034 (assigned but unused) and SC2317 (functions the script does not call) are about the
// shared prelude and library, which every script carries whole. SC2016 flags `$` inside
// single quotes, which is exactly how hostile user values are meant to arrive: literally.
describe('file modules render scripts that pass shellcheck -s sh', () => {
  // A script part rendered the same for both userlands is checked once (most are: only the
  // libraries, checked on their own, and the stat and digest calls differ).
  const checked = new Set<string>();
  for (const [userland, execute] of [[localUserland(), true], [macos, false]] as const) {
    // The shared libraries are checked once; each script contributes only its own part.
    it(`the shared libraries (${userland.system})`, async () => {
      expect(await shellcheck({ 'libraries.sh': sharedLibraries(userland).join('\n') }, 'SC2016,SC2034,SC2317')).toBe('');
    });
    for (const moduleName of MODULES) {
      it(`${moduleName} (${userland.system})`, { timeout: 300_000 }, async () => {
        const libraries = sharedLibraries(userland);
        // Each call's record nonce is fresh, and each case's temp dir (mkdtemp's six letters and
        // digits): with them fixed, the same piece is checked once. That halves what shellcheck
        // reads, and its time goes with that.
        const scripts = (await renderedScripts(moduleName, userland, execute))
          .map((script) =>
            libraries
              .reduce((text, library) => text.split(library).join(''), script)
              .replace(/fleet_rec_[0-9a-f]{32}/g, 'fleet_rec_NONCE')
              .replace(/fleet-sc-[A-Za-z0-9]{6}/g, 'fleet-sc-XXXXXX'),
          )
          .filter((script) => script.trim() !== '');
        expect(scripts.length).toBeGreaterThan(0);
        const unchecked = [...new Set(scripts)].filter((script) => !checked.has(script));
        unchecked.forEach((script) => checked.add(script));
        if (unchecked.length === 0) return;
        const parts = Object.fromEntries(unchecked.map((script, index) => [`${moduleName}-${index}.sh`, script]));
        // A script's own part reads variables the libraries set (SC2154 cannot see them there).
        expect(await shellcheck(parts, 'SC2016,SC2034,SC2154,SC2317')).toBe('');
      });
    }
  }
});
