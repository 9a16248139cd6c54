import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyModule } from '../../../src/modules/files/copy.js';
import { localExec, makeContext, runModule } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-content-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function copy(dest: string, content: string) {
  return runModule(copyModule, { dest, content }, makeContext({ cwd: dir, controllerDir: dir, exec: localExec(dir) }));
}

/**
 * copy and template compare small text in the shell (fleet_same_text) before hashing: the
 * bytes on the host decide exactly as a SHA-1 would.
 */
describe('a small file compared with the wanted content by the shell', () => {
  const same = [
    ['no final newline', 'a=1'],
    ['trailing blank lines', 'a=1\n\n\n'],
    ['CRLF, backslashes, tabs and leading spaces', 'a=\\n\r\n\t  b=\\\\ c\r\n'],
    ['glob and quote characters', "* ? [x] $HOME `x` 'q' \"d\"\n"],
    ['only newlines', '\n\n'],
    ['nothing', ''],
    ['UTF-8', 'naïve → ✓\n'],
  ];
  for (const [name, content] of same) {
    it(`is the same: ${name}`, async () => {
      const path = join(dir, `same-${name.replace(/\W+/g, '-')}`);
      writeFileSync(path, content as string);
      expect(await copy(path, content as string)).toMatchObject({ changed: false });
    });
  }

  const different: [string, Buffer, string][] = [
    ['one byte differs', Buffer.from('a=1\n'), 'a=2\n'],
    ['a final newline instead of a space', Buffer.from('a=1 '), 'a=1\n'],
    ['a NUL the shell would drop', Buffer.from('ab\0'), 'abc'],
    ['CR instead of LF', Buffer.from('a\rb\n'), 'a\nb\n'],
  ];
  for (const [name, bytes, content] of different) {
    it(`of the same size is different: ${name}`, async () => {
      const path = join(dir, `different-${name.replace(/\W+/g, '-')}`);
      writeFileSync(path, bytes);
      expect(await copy(path, content)).toMatchObject({ changed: true });
      expect(readFileSync(path, 'utf8')).toBe(content);
    });
  }
});
