import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ExecScript } from '../../../src/modules/remote.js';
import type { Userland } from '../../../src/shell/userland.js';
import { loadCases } from './differential.js';
import { localExec, localUserland, makeContext, runModule } from './harness.js';
import { waitFor } from '../../../src/modules/system/wait_for.js';
import { findModule } from '../../../src/modules/index.js';
import { validateArgs } from '../../../src/modules/argspec.js';
import { toPy, type PyDict } from '../../../src/template/values.js';

const linux: Userland = { system: 'Linux', machine: 'x86_64', stat: 'gnu', sha1: 'sha1sum', base64Decode: '-d', uname: 'Linux box 6.1.0-9-amd64 #1 SMP Debian 6.1.27-1 x86_64', home: '/root' };
const macos: Userland = { system: 'Darwin', machine: 'arm64', stat: 'bsd', sha1: 'shasum', base64Decode: '-D', uname: 'Darwin mac.local 23.1.0 Darwin Kernel Version 23.1.0: Mon Oct  9 21:27:24 PDT 2023; root:xnu-10002.41.9~6/RELEASE_ARM64_T6000 arm64', home: '/Users/admin' };

/** `kind:text` for each text an earlier test of this file checked (most libraries, and bodies both userlands render alike). */
const checked = new Set<string>();

/**
 * What shellcheck says of the scripts a case file renders. Each distinct library and each
 * distinct script body is checked once in this file, in one shellcheck process per kind;
 * a body reads variables its libraries set, which shellcheck cannot see there (SC2154).
 * With each call's record nonce fixed, the bodies shellcheck reads halve, and its time with them.
 */
async function shellcheck(scripts: Rendered[], label: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-shellcheck-'));
  try {
    const check = async (rendered: Set<string>, kind: string, excluded: string) => {
      const texts = [...new Set([...rendered].map((text) => text.replace(/fleet_rec_[0-9a-f]{32}/g, 'fleet_rec_NONCE')))].filter((text) => !checked.has(`${kind}:${text}`));
      texts.forEach((text) => checked.add(`${kind}:${text}`));
      const paths = texts.map((text, index) => {
        const path = join(dir, `${label}-${kind}-${index}.sh`);
        writeFileSync(path, text);
        return path;
      });
      return paths.length === 0 ? '' : (await execa('shellcheck', ['-s', 'sh', '-e', excluded, ...paths], { reject: false })).stdout;
    };
    const libraries = await check(new Set(scripts.flatMap((script) => script.libraries)), 'library', 'SC2016,SC2034,SC2317');
    const bodies = await check(new Set(scripts.map((script) => script.body)), 'body', 'SC2016,SC2034,SC2154,SC2317');
    return libraries + bodies;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Rendered {
  body: string;
  libraries: readonly string[];
}

/** Renders every script a case would send, without running it (a host that answers nothing). */
async function renderedScripts(file: string, userland: Userland): Promise<Rendered[]> {
  const scripts: Rendered[] = [];
  const capture: ExecScript = async (script, options = {}) => {
    scripts.push({ body: script, libraries: options.libraries ?? [] });
    return { rc: 0, stdout: '', stderr: '' };
  };
  for (const testCase of loadCases(file).cases) {
    const def = findModule(testCase.module)!;
    const ctx = await makeContext({ exec: capture, userland, check: testCase.check ?? false });
    // Cases that fail argument validation render nothing.
    const args = (() => {
      try {
        return validateArgs(def.spec, toPy(testCase.args ?? {}) as PyDict, def.name);
      } catch {
        return null;
      }
    })();
    if (args) await def.run(args, ctx);
  }
  return scripts;
}

const SHELLCHECKED_CASE_FILES = ['command', 'shell', 'cron', 'run', 'accounts', 'systemd', 'packages', 'git', 'ping_getent'];

// Excluded: SC2016 (user data is single-quoted on purpose: `'$HOME'` is meant literally), SC2034
// (the shared prelude defines variables a script may not read) and SC2317
// (functions called indirectly, e.g. through fleet_run "$@").
describe('rendered module scripts pass shellcheck -s sh', () => {
  for (const userland of [linux, macos]) {
    for (const file of SHELLCHECKED_CASE_FILES) {
      it(`${file} (${userland.system})`, async () => {
        const scripts = await renderedScripts(file, userland);
        expect(scripts.length).toBeGreaterThan(0);
        expect(await shellcheck(scripts, file)).toBe('');
      }, 300_000);
    }
  }
});

// wait_for polls until its state holds, so its probes are rendered by running it for real.
describe('wait_for probes pass shellcheck -s sh', () => {
  for (const userland of [linux, macos]) {
    it(userland.system, async () => {
      const scripts: string[] = [];
      const host = await localUserland();
      const run = { exec: localExec, scripts, userland: { ...host, system: userland.system, stat: userland.stat } };
      await runModule(waitFor, { path: '/tmp', search_regex: 'x', timeout: 0 }, run);
      await runModule(waitFor, { port: 1, state: 'stopped', timeout: 0 }, run);
      expect(await shellcheck(scripts.map((body) => ({ body, libraries: [] })), 'wait_for')).toBe('');
    });
  }
});
