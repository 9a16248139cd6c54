import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ExecScript } from '../../../src/modules/remote.js';
import type { Userland } from '../../../src/shell/userland.js';
import { loadCases } from './differential.js';
import { makeContext } from './harness.js';
import { findModule } from '../../../src/modules/index.js';
import { validateArgs } from '../../../src/modules/argspec.js';
import { toPy, type PyDict } from '../../../src/template/values.js';

const linux: Userland = { system: 'Linux', machine: 'x86_64', stat: 'gnu', sha1: 'sha1sum', base64Decode: '-d', user: 'root', uid: 0, home: '/root' };
const macos: Userland = { system: 'Darwin', machine: 'arm64', stat: 'bsd', sha1: 'shasum', base64Decode: '-D', user: 'admin', uid: 501, home: '/Users/admin' };

/** Renders every script a case would send, without running it (a host that answers nothing). */
async function renderedScripts(file: string, userland: Userland): Promise<string[]> {
  const scripts: string[] = [];
  const capture: ExecScript = async (script) => {
    scripts.push(script);
    return { rc: 0, stdout: '', stderr: '' };
  };
  for (const testCase of loadCases(file).cases) {
    const def = findModule(testCase.module)!;
    const ctx = await makeContext({ exec: capture, userland, check: testCase.check ?? false });
    await def.run(validateArgs(def.spec, toPy(testCase.args ?? {}) as PyDict, def.name), ctx).catch(() => undefined);
  }
  return scripts;
}

const SHELLCHECKED_CASE_FILES = ['command', 'shell', 'cron', 'run'];

// SC2034 (unused variable) is excluded: the shared prelude defines variables a given script may not read.
describe('rendered module scripts pass shellcheck -s sh', () => {
  for (const userland of [linux, macos]) {
    for (const file of SHELLCHECKED_CASE_FILES) {
      it(`${file} (${userland.system})`, async () => {
        const scripts = await renderedScripts(file, userland);
        expect(scripts.length).toBeGreaterThan(0);
        // One shellcheck process over all of a file's scripts (as separate files) keeps this fast.
        const dir = mkdtempSync(join(tmpdir(), 'fleet-shellcheck-'));
        const paths = scripts.map((script, index) => {
          const path = join(dir, `${file}-${index}.sh`);
          writeFileSync(path, script);
          return path;
        });
        const result = await execa('shellcheck', ['-s', 'sh', '-e', 'SC2034', ...paths], { reject: false });
        rmSync(dir, { recursive: true });
        expect(result.stdout).toBe('');
      });
    }
  }
});
