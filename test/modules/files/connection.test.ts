import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connectLocal } from '../../../src/connections/local.js';
import type { Connection } from '../../../src/connections/types.js';
import { copyModule } from '../../../src/modules/files/copy.js';
import { fileModule } from '../../../src/modules/files/file.js';
import { lineinfileModule } from '../../../src/modules/files/lineinfile.js';
import { statModule } from '../../../src/modules/files/stat.js';
import { makeContext, runModule } from './harness.js';

// The same modules through fleet's real local Connection (one long-lived framed sh), which
// must survive the scripts' `exit` on failure and keep serving the next task.
let connection: Connection;
let work: string;

beforeAll(async () => {
  connection = await connectLocal('localhost');
  work = mkdtempSync(join(tmpdir(), 'fleet-conn-'));
});

afterAll(async () => {
  await connection.close();
  rmSync(work, { recursive: true, force: true });
});

test('copy, lineinfile, file and stat run through a persistent local shell', async () => {
  const ctx = makeContext({ cwd: work, controllerDir: work, exec: (script, options) => connection.exec(script, options) });
  const dest = join(work, 'conf d', "it's.conf");
  expect((await runModule(fileModule, { path: join(work, 'conf d'), state: 'directory', mode: '0750' }, ctx)).changed).toBe(true);
  expect((await runModule(copyModule, { content: 'a=1\n', dest, mode: 'u=rw,g=r' }, ctx)).changed).toBe(true);
  expect((await runModule(copyModule, { content: 'a=1\n', dest, mode: 'u=rw,g=r' }, ctx)).changed).toBe(false);
  const failed = await runModule(lineinfileModule, { path: join(work, 'missing'), line: 'x' }, ctx);
  expect(failed).toMatchObject({ failed: true, msg: `Destination ${join(work, 'missing')} does not exist !` });
  expect(await runModule(lineinfileModule, { path: dest, regexp: '^a=', line: 'a=2' }, ctx)).toMatchObject({ changed: true, msg: 'line replaced' });
  expect(readFileSync(dest, 'utf8')).toBe('a=2\n');
  expect(statSync(dest).mode & 0o7777).toBe(0o644); // u=rw,g=r leaves the others' bits as the umask made them
  const stat = await runModule(statModule, { path: dest }, ctx);
  expect(stat['stat']).toMatchObject({ exists: true, mode: '0644', isreg: true, size: 4 });
});
