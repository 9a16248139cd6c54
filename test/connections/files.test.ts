import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLocal, connectSsh, RemoteFileError, type Connection } from '../../src/connections/index.js';
import { ensureSandbox, sandboxHost, sandboxTarget } from '../support/sandbox.js';

/**
 * Each kind writes into a directory this test process can also read directly: the sandbox
 * user's home is on this machine, so results are checked with fs, not through the connection.
 */
const kinds: Array<[string, () => Promise<{ connection: Connection; dir: string }>]> = [
  [
    'ssh',
    async () => {
      const connection = await connectSsh(sandboxTarget('h2'));
      const dir = join(sandboxHost('h2').home, `files-test-${randomBytes(4).toString('hex')}`);
      await connection.exec(`mkdir ${dir}`);
      return { connection, dir };
    },
  ],
  ['local', async () => ({ connection: await connectLocal('localhost'), dir: mkdtempSync(join(tmpdir(), 'fleet-files-')) })],
];

const modeOf = (path: string) => statSync(path).mode & 0o7777;

beforeAll(() => {
  ensureSandbox();
});

describe.each(kinds)('put/get over %s', (_kind, open) => {
  let connection: Connection;
  let dir: string;
  let remoteUmask: number;
  beforeAll(async () => {
    ({ connection, dir } = await open());
    remoteUmask = Number.parseInt((await connection.exec('umask')).stdout.trim(), 8);
  });
  afterAll(async () => {
    await connection?.exec(`rm -rf ${dir}`);
    await connection?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips every byte value and sets the requested mode', async () => {
    const content = Buffer.alloc(256 * 4096, 0).map((_, i) => i % 256);
    const path = join(dir, 'all-bytes');
    await connection.put(content, path, 0o600);
    expect(readFileSync(path).equals(content)).toBe(true);
    expect(modeOf(path)).toBe(0o600);
    expect((await connection.get(path)).equals(content)).toBe(true);
  });

  it('round-trips 5 MB of random bytes and empty content', async () => {
    const big = randomBytes(5_000_000);
    await connection.put(big, join(dir, 'big'), 0o644);
    expect((await connection.get(join(dir, 'big'))).equals(big)).toBe(true);
    await connection.put(Buffer.alloc(0), join(dir, 'empty'), 0o640);
    expect(statSync(join(dir, 'empty')).size).toBe(0);
    expect((await connection.get(join(dir, 'empty'))).length).toBe(0);
  });

  it('applies special mode bits', async () => {
    await connection.put(Buffer.from('#!/bin/sh\n'), join(dir, 'tool'), 0o2755);
    expect(modeOf(join(dir, 'tool'))).toBe(0o2755);
  });

  it('replaces a file by rename (new inode), keeping its mode when none is given', async () => {
    const path = join(dir, 'existing');
    // Made through the connection so it belongs to the connection's user.
    await connection.exec(`printf 'old content that is longer than the new one' >${path} && chmod 640 ${path}`);
    const before = statSync(path).ino;
    await connection.put(Buffer.from('new'), path);
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(modeOf(path)).toBe(0o640);
    expect(statSync(path).ino).not.toBe(before);
  });

  it('creates a new file with the umask default when no mode is given', async () => {
    await connection.put(Buffer.from('x'), join(dir, 'fresh'));
    expect(modeOf(join(dir, 'fresh'))).toBe(0o666 & ~remoteUmask);
  });

  it('handles names with spaces and quotes and leaves no temp files behind', async () => {
    const sub = join(dir, 'names');
    await connection.exec(`mkdir ${sub}`);
    const name = `it's a "file" $(x).txt`;
    await connection.put(Buffer.from('quoted'), join(sub, name), 0o644);
    expect(readdirSync(sub)).toEqual([name]);
    expect((await connection.get(join(sub, name))).toString()).toBe('quoted');
  });

  it('fails with RemoteFileError naming the path, leaving nothing behind', async () => {
    const missingDir = join(dir, 'no-such-dir');
    await expect(connection.put(Buffer.from('x'), join(missingDir, 'f'), 0o644)).rejects.toThrow(RemoteFileError);
    await expect(connection.get(join(dir, 'missing'))).rejects.toThrow(/cannot read .*missing: .*No such file/);
    const before = readdirSync(dir).sort();
    await expect(connection.put(Buffer.from('x'), join(dir, 'd'), 0o644).then(() => connection.put(Buffer.from('y'), join(dir, 'd', 'f')))).rejects.toThrow(
      RemoteFileError,
    );
    expect(readdirSync(dir).sort()).toEqual([...before, 'd'].sort());
  });
});
