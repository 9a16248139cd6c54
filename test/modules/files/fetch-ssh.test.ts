import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connectSsh } from '../../../src/connections/ssh.js';
import type { Connection } from '../../../src/connections/types.js';
import { copyModule } from '../../../src/modules/files/copy.js';
import { fetchModule } from '../../../src/modules/files/fetch.js';
import { fileModule } from '../../../src/modules/files/file.js';
import type { ModuleContext } from '../../../src/modules/types.js';
import { parseUserland, USERLAND_PROBE } from '../../../src/shell/userland.js';
import { ensureSandbox, sandboxHost, sandboxTarget } from '../../support/sandbox.js';
import { makeContext, runModule } from './harness.js';

// fetch over a real SSH connection, with the values ansible-playbook 2.14 gave for the same
// tasks against a sandbox host (fetch of `secret\n` at mode 0640 and of a 0444 file).
let connection: Connection;
let controller: string;

beforeAll(async () => {
  ensureSandbox(1);
  connection = await connectSsh(sandboxTarget('h1'));
  controller = mkdtempSync(join(tmpdir(), 'fleet-fetch-'));
}, 120_000);

afterAll(async () => {
  await connection?.close();
  if (controller) rmSync(controller, { recursive: true, force: true });
});

async function context(): Promise<ModuleContext> {
  const userland = parseUserland('h1', (await connection.exec(USERLAND_PROBE)).stdout);
  const home = sandboxHost('h1').home;
  const base = makeContext({ cwd: home, controllerDir: controller, userland, exec: (script, options) => connection.exec(script, options) });
  return { ...base, host: 'h1', vars: { get: (name) => (name === 'playbook_dir' ? controller : undefined) } };
}

const mode = (path: string) => (statSync(path).mode & 0o7777).toString(8);

test('fetch lays files out as dest/<host>/<src path>, with sftp get modes, changed only when the content differs', { timeout: 120_000 }, async () => {
  const ctx = await context();
  const home = sandboxHost('h1').home;
  const dir = '~/fleet fetch test';
  const name = `${dir}/$(touch canary) 'x".txt`;
  expect((await runModule(fileModule, { path: dir, state: 'directory' }, ctx)).failed).not.toBe(true);
  await runModule(copyModule, { content: 'secret\n', dest: name, mode: '0640' }, ctx);
  await runModule(copyModule, { content: 'ro\n', dest: `${dir}/ro.txt`, mode: '0444' }, ctx);
  const remotePath = name.replace('~', home);
  const expectedDest = `${controller}/out/h1${remotePath}`;

  const first = await runModule(fetchModule, { src: name, dest: `${controller}/out` }, ctx);
  expect(first).toEqual({
    changed: true,
    checksum: 'fc683cd9ed1990ca2ea10b84e5e6fba048c24929',
    dest: expectedDest,
    md5sum: 'dd02c7c2232759874e1c205587017bed',
    remote_checksum: 'fc683cd9ed1990ca2ea10b84e5e6fba048c24929',
    remote_md5sum: null,
  });
  expect(mode(expectedDest)).toBe('640');
  expect(await runModule(fetchModule, { src: name, dest: `${controller}/out` }, ctx)).toEqual({
    changed: false,
    checksum: 'fc683cd9ed1990ca2ea10b84e5e6fba048c24929',
    dest: expectedDest,
    file: remotePath,
    md5sum: 'dd02c7c2232759874e1c205587017bed',
  });

  // A relative dest is the playbook directory's; a relative src stays as written.
  const relative = await runModule(fetchModule, { src: 'fleet fetch test/ro.txt', dest: 'rel/' }, ctx);
  expect(relative['dest']).toBe(`${controller}/rel/h1/fleet fetch test/ro.txt`);
  // 0444 arrives as 0644: sftp creates the file with the remote mode plus owner write.
  expect(mode(`${controller}/rel/h1/fleet fetch test/ro.txt`)).toBe('644');

  const canaries = await connection.exec(`ls -a ${JSON.stringify(home)} ${JSON.stringify(`${home}/fleet fetch test`)} | grep -cx canary || true`);
  expect(canaries.stdout.trim()).toBe('0');
  expect((await runModule(fileModule, { path: dir, state: 'absent' }, ctx)).changed).toBe(true);
});
