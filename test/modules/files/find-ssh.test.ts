import { afterAll, beforeAll, expect, test } from 'vitest';
import { connectSsh } from '../../../src/connections/ssh.js';
import type { Connection } from '../../../src/connections/types.js';
import { findFilesModule } from '../../../src/modules/files/find.js';
import type { ModuleContext } from '../../../src/modules/types.js';
import { parseUserland, USERLAND_PROBE } from '../../../src/shell/userland.js';
import { ensureSandbox, sandboxHost, sandboxTarget } from '../../support/sandbox.js';
import { makeContext, runModule } from './harness.js';

/**
 * find as an unprivileged user over SSH, where directories can refuse it. Expected values are
 * what ansible-playbook 2.14 returned for this tree on a sandbox host (as fleet-h90, with h90's home):
 * os.walk's error on `locked` abandons the whole path after `noexec`'s entry could not be
 * lstat'ed, so `z` is never visited.
 */
const HOST = 'h1';
let connection: Connection;
let ctx: ModuleContext;
let top: string;

beforeAll(async () => {
  ensureSandbox(1);
  connection = await connectSsh(sandboxTarget(HOST));
  const userland = parseUserland(HOST, (await connection.exec(USERLAND_PROBE)).stdout);
  const home = sandboxHost(HOST).home;
  top = `${home}/find-perm`;
  ctx = makeContext({ cwd: home, controllerDir: home, userland, exec: (script, options) => connection.exec(script, options) });
  const made = await connection.exec(`rm -rf ~/find-perm; mkdir -p ~/find-perm/locked ~/find-perm/z ~/find-perm/noexec
cd ~/find-perm && echo a > a.txt && echo b > z/b.txt && echo c > noexec/c.txt && echo l > locked/in.txt
chmod 0000 locked; chmod 0644 noexec`);
  expect(made.rc).toBe(0);
}, 120_000);

afterAll(async () => {
  await connection?.exec('chmod -R u+rwx ~/find-perm && rm -rf ~/find-perm');
  await connection?.close();
});

const denied = (path: string) => `[Errno 13] Permission denied: '${path}'`;

test('a directory os.walk cannot open abandons its path; an entry lstat refuses is skipped', { timeout: 60_000 }, async () => {
  const result = await runModule(findFilesModule, { paths: '~/find-perm', recurse: true, file_type: 'any' }, ctx);
  expect((result['files'] as { path: string }[]).map((file) => file.path)).toEqual([`${top}/a.txt`, `${top}/noexec`, `${top}/locked`, `${top}/z`]);
  expect(result).toMatchObject({
    changed: false,
    examined: 5,
    matched: 4,
    msg: 'Not all paths examined, check warnings for details',
    skipped_paths: { [top]: denied(`${top}/locked`), [`${top}/noexec/c.txt`]: denied(`${top}/noexec/c.txt`) },
    warnings: [
      `Skipped entry '${top}/noexec/c.txt' due to this access issue: ${denied(`${top}/noexec/c.txt`)}\n`,
      `Skipped '${top}' path due to this access issue: ${denied(`${top}/locked`)}\n`,
    ],
  });
});

test('an unreadable top path', { timeout: 60_000 }, async () => {
  expect(await runModule(findFilesModule, { paths: '~/find-perm/locked' }, ctx)).toEqual({
    files: [],
    changed: false,
    examined: 0,
    matched: 0,
    msg: 'Not all paths examined, check warnings for details',
    skipped_paths: { [`${top}/locked`]: denied(`${top}/locked`) },
    warnings: [`Skipped '${top}/locked' path due to this access issue: ${denied(`${top}/locked`)}\n`],
  });
});

test('links to a directory it cannot open are entered only with follow (hidden ones too)', { timeout: 60_000 }, async () => {
  const made = await connection.exec(`rm -rf ~/find-link; mkdir -p ~/find-link/t ~/find-link/locked
cd ~/find-link && echo a > t/a.txt && ln -s ../locked t/.hidden && ln -s ../locked t/shown && chmod 0000 locked`);
  expect(made.rc).toBe(0);
  try {
    const base = `${sandboxHost(HOST).home}/find-link/t`;
    const paths = (result: Record<string, unknown>) => (result['files'] as { path: string }[]).map((file) => file.path);
    const unfollowed = await runModule(findFilesModule, { paths: '~/find-link/t', recurse: true, file_type: 'any' }, ctx);
    expect(paths(unfollowed)).toEqual([`${base}/a.txt`, `${base}/shown`]);
    expect(unfollowed).toMatchObject({ examined: 3, matched: 2, msg: 'All paths examined', skipped_paths: {} });
    const followed = await runModule(findFilesModule, { paths: '~/find-link/t', recurse: true, file_type: 'any', follow: true }, ctx);
    expect(paths(followed)).toEqual([`${base}/a.txt`, `${base}/shown`]);
    expect(followed).toMatchObject({
      examined: 3,
      matched: 2,
      msg: 'Not all paths examined, check warnings for details',
      skipped_paths: { [base]: denied(`${base}/.hidden`) },
      warnings: [`Skipped '${base}' path due to this access issue: ${denied(`${base}/.hidden`)}\n`],
    });
  } finally {
    await connection.exec('chmod -R u+rwx ~/find-link && rm -rf ~/find-link');
  }
});
