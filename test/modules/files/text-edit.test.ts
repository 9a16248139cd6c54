import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lineinfileModule } from '../../../src/modules/files/lineinfile.js';
import { parseMode } from '../../../src/modules/files/mode.js';
import { readForEdit } from '../../../src/modules/files/text-edit.js';
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

describe('the read of a small file, which the shell reads itself when the attributes are wanted', () => {
  const mode = parseMode('0644');
  const contents: [string, string][] = [
    ['no final newline', 'a=1\nb=2'],
    ['blank lines at the end', 'a=1\n\n\n'],
    ['backslashes, tabs and leading spaces', '  a=\\n\\\\\tx \n\tb=\\\n'],
    ['CRLF line ends', 'a=1\r\nb=2\r\n'],
    ['multibyte UTF-8', 'a=é€😀\n'],
    ['a NUL byte', 'a=1\0b\nc=2\n'],
    ['an empty file', ''],
    ['exactly 1 KiB', `${'x'.repeat(1023)}\n`],
    ['just over 1 KiB', `${'x'.repeat(1024)}\n`],
  ];
  for (const [name, content] of contents) {
    it(`comes back byte for byte: ${name}`, async () => {
      const path = join(dir, `small-${name.replace(/\W+/g, '-')}`);
      writeFileSync(path, content);
      const ctx = makeContext({ cwd: dir, controllerDir: dir });
      for (const attributes of [{ owner: null, group: null, mode }, { owner: null, group: null, mode: null }]) {
        const read = await readForEdit(path, attributes, ctx);
        expect(read.text).toBe(content);
        expect(read.sha1).toBe(createHash('sha1').update(content).digest('hex'));
      }
    });
  }

  it('through a link, reads the target', async () => {
    const path = join(dir, 'small-target');
    writeFileSync(path, 'a=1\nb=2\n');
    symlinkSync(path, join(dir, 'small-link'));
    const read = await readForEdit(join(dir, 'small-link'), { owner: null, group: null, mode }, makeContext({ cwd: dir, controllerDir: dir }));
    expect(read.text).toBe('a=1\nb=2\n');
  });
});
