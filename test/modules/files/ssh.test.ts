import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connectSsh } from '../../../src/connections/ssh.js';
import type { Connection } from '../../../src/connections/types.js';
import { copyModule } from '../../../src/modules/files/copy.js';
import { fileModule } from '../../../src/modules/files/file.js';
import { lineinfileModule } from '../../../src/modules/files/lineinfile.js';
import { statModule } from '../../../src/modules/files/stat.js';
import { parseUserland, USERLAND_PROBE } from '../../../src/shell/userland.js';
import { ensureSandbox, sandboxHost, sandboxTarget } from '../../support/sandbox.js';
import { makeContext, runModule } from './harness.js';

// The file modules over a real SSH connection to a sandbox sshd on loopback, as a non-root user.
let connection: Connection;

beforeAll(async () => {
  ensureSandbox(1);
  connection = await connectSsh(sandboxTarget('h1'));
}, 120_000);

afterAll(async () => {
  await connection?.close();
});

/** A module context running scripts on h1 over the connection, with h1's userland. */
async function hostContext() {
  const probe = await connection.exec(USERLAND_PROBE);
  const userland = parseUserland('h1', probe.stdout);
  const exec = (script: string, options?: { timeoutMs?: number }) => connection.exec(script, options);
  const home = sandboxHost('h1').home;
  return { ctx: makeContext({ cwd: home, controllerDir: home, userland, exec }), home };
}

test('copy, file, lineinfile and stat over ssh, idempotent, hostile names inert', { timeout: 120_000 }, async () => {
  const { ctx, home } = await hostContext();
  const dir = '~/fleet files test';
  const name = `${dir}/$(touch canary) \`touch canary2\`;'x".conf`;
  expect((await runModule(fileModule, { path: dir, state: 'directory', mode: 0o750 }, ctx)).changed).toBe(true);
  const first = await runModule(copyModule, { content: 'k=1\n', dest: name, mode: '0600' }, ctx);
  expect(first).toMatchObject({ changed: true, mode: '0600', size: 4, dest: name.replace('~', home) });
  expect((await runModule(copyModule, { content: 'k=1\n', dest: name, mode: '0600' }, ctx)).changed).toBe(false);
  expect(await runModule(lineinfileModule, { path: name, line: 'j=2', insertbefore: 'BOF' }, ctx)).toMatchObject({ changed: true, msg: 'line added' });
  expect((await runModule(lineinfileModule, { path: name, line: 'j=2', insertbefore: 'BOF' }, ctx)).changed).toBe(false);
  const stat = await runModule(statModule, { path: name }, ctx);
  expect(stat['stat']).toMatchObject({ exists: true, size: 8, mode: '0600', checksum: createHash('sha1').update('j=2\nk=1\n').digest('hex') });
  const canaries = await connection.exec(`ls -a ${JSON.stringify(home)} | grep -c canary || true`);
  expect(canaries.stdout.trim()).toBe('0');
  expect((await runModule(fileModule, { path: dir, state: 'absent' }, ctx)).changed).toBe(true);
});

test('stat of a path under a directory its user cannot search fails with the errno, as Ansible does', { timeout: 60_000 }, async () => {
  const { ctx } = await hostContext();
  await connection.exec('mkdir -p ~/locked && : > ~/locked/f && chmod 0600 ~/locked');
  try {
    // ansible-playbook 2.14: {"changed": false, "msg": "Permission denied"} (os.lstat's EACCES)
    expect(await runModule(statModule, { path: '~/locked/f' }, ctx)).toMatchObject({ failed: true, changed: false, msg: 'Permission denied' });
  } finally {
    await connection.exec('chmod 0700 ~/locked && rm -rf ~/locked');
  }
});

test("an owner or group its user cannot give fails as Ansible's set_owner/group_if_different do, with the path's info", { timeout: 60_000 }, async () => {
  const { ctx, home } = await hostContext();
  const dir = `${home}/ch 'q"`;
  const file = `${dir}/c`;
  await runModule(fileModule, { path: dir, state: 'directory' }, ctx);
  try {
    // ansible-playbook 2.14 printed these for `file: owner=root` and `copy: group=root` (the file already in place)
    const own = { uid: expect.any(Number), gid: expect.any(Number), owner: sandboxHost('h1').user, group: sandboxHost('h1').user };
    expect(await runModule(fileModule, { path: dir, owner: 'root' }, ctx)).toEqual({
      failed: true, changed: false, msg: `chown failed: [Errno 1] Operation not permitted: b'${home}/ch \\'q"'`,
      path: dir, ...own, mode: '0755', state: 'directory', size: expect.any(Number),
    });
    await runModule(copyModule, { content: 'x', dest: file }, ctx);
    expect(await runModule(copyModule, { content: 'x', dest: file, group: 'root' }, ctx)).toMatchObject({
      failed: true, changed: false, msg: 'chgrp failed', checksum: '11f6ad8ec52a2984abaafd7c3b516503785c2072',
      path: file, ...own, mode: '0644', state: 'file', size: 1,
    });
  } finally {
    await runModule(fileModule, { path: dir, state: 'absent' }, ctx);
  }
});
