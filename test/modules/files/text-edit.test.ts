import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lineinfileModule } from '../../../src/modules/files/lineinfile.js';
import type { ExecScript } from '../../../src/modules/remote.js';
import { localExec, makeContext, runModule } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-text-edit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs scripts locally and keeps each one, so a test can see the round trips and what they ran. */
function recording(scripts: string[]): ExecScript {
  const exec = localExec(dir);
  return (script, options) => {
    scripts.push(script);
    return exec(script, options);
  };
}

async function lineinfile(path: string, line: string, scripts: string[]) {
  const ctx = makeContext({ cwd: dir, controllerDir: dir, exec: recording(scripts) });
  return runModule(lineinfileModule, { path, regexp: '^b=', line }, ctx);
}

describe('the read of an edit-in-place module (lineinfile, blockinfile, replace)', () => {
  it('takes the SHA-1 of valid UTF-8 on the controller: one round trip, no hash on the host', async () => {
    const path = join(dir, 'plain.conf');
    writeFileSync(path, 'a=é\nb=2\n');
    const scripts: string[] = [];
    const result = await lineinfile(path, 'b=2', scripts);
    expect(result).toMatchObject({ changed: false });
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).not.toContain('fleet_sha1 ');
  });

  it('edits a file that holds U+FFFD itself, after asking the host for its hash', async () => {
    const path = join(dir, 'replacement.conf');
    writeFileSync(path, 'a=\uFFFD\nb=1\n');
    const scripts: string[] = [];
    const result = await lineinfile(path, 'b=2', scripts);
    expect(result).toMatchObject({ changed: true, msg: 'line replaced' });
    expect(readFileSync(path, 'utf8')).toBe('a=\uFFFD\nb=2\n');
    // The read, the read with the host's hash, the write.
    expect(scripts).toHaveLength(3);
    expect(scripts[1]).toContain('fleet_sha1 ');
  });

  it('refuses a file that is not valid UTF-8 and leaves it as it was', async () => {
    const path = join(dir, 'latin1.conf');
    const bytes = Buffer.from([0x61, 0x3d, 0xe9, 0x0a, 0x62, 0x3d, 0x31, 0x0a]);
    writeFileSync(path, bytes);
    const scripts: string[] = [];
    const result = await lineinfile(path, 'b=2', scripts);
    expect(result).toMatchObject({ failed: true, msg: `fleet can only edit UTF-8 text files: ${path} is not valid UTF-8` });
    expect(readFileSync(path)).toEqual(bytes);
  });
});
