import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ExecScript } from '../../../src/modules/remote.js';
import { inlineLibraries } from '../../../src/shell/libraries.js';
import type { Userland } from '../../../src/shell/userland.js';
import { loadCases } from './differential.js';
import { localExec, localUserland, makeContext, runModule } from './harness.js';
import { waitFor } from '../../../src/modules/system/wait_for.js';
import { findModule } from '../../../src/modules/index.js';
import { validateArgs } from '../../../src/modules/argspec.js';
import { toPy, type PyDict } from '../../../src/template/values.js';

const linux: Userland = { system: 'Linux', machine: 'x86_64', stat: 'gnu', sha1: 'sha1sum', base64Decode: '-d', uname: 'Linux box 6.1.0-9-amd64 #1 SMP Debian 6.1.27-1 x86_64', home: '/root' };
const macos: Userland = { system: 'Darwin', machine: 'arm64', stat: 'bsd', sha1: 'shasum', base64Decode: '-D', uname: 'Darwin mac.local 23.1.0 Darwin Kernel Version 23.1.0: Mon Oct  9 21:27:24 PDT 2023; root:xnu-10002.41.9~6/RELEASE_ARM64_T6000 arm64', home: '/Users/admin' };

/** Renders every script a case would send, without running it (a host that answers nothing). */
async function shellcheck(scripts: string[], label: string): Promise<string> {
  // One shellcheck process over all scripts (as separate files) keeps this fast.
  const dir = mkdtempSync(join(tmpdir(), 'fleet-shellcheck-'));
  const paths = scripts.map((script, index) => {
    const path = join(dir, `${label}-${index}.sh`);
    writeFileSync(path, script);
    return path;
  });
  const result = await execa('shellcheck', ['-s', 'sh', '-e', 'SC2016,SC2034,SC2317', ...paths], { reject: false });
  rmSync(dir, { recursive: true });
  return result.stdout;
}

async function renderedScripts(file: string, userland: Userland): Promise<string[]> {
  const scripts: string[] = [];
  const capture: ExecScript = async (script, options = {}) => {
    scripts.push(inlineLibraries(script, options.libraries));
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
        // shellcheck takes seconds per dozen scripts on a busy machine.
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
      expect(await shellcheck(scripts, 'wait_for')).toBe('');
    });
  }
});
