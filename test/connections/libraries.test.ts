import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLocal, type Connection } from '../../src/connections/index.js';

/** What the long-lived shell was sent (everything written to its stdin), per connection. */
async function connectRecording(): Promise<{ connection: Connection; sent: () => string }> {
  const connection = await connectLocal('localhost');
  const stdin = (connection as unknown as { transport: { stdin: NodeJS.WritableStream } }).transport.stdin;
  const chunks: string[] = [];
  const write = stdin.write.bind(stdin) as (chunk: string) => boolean;
  stdin.write = ((chunk: string) => {
    chunks.push(String(chunk));
    return write(chunk);
  }) as typeof stdin.write;
  return { connection, sent: () => chunks.join('') };
}

describe('libraries sent once per connection', () => {
  let connection: Connection;
  let sent: () => string;
  beforeAll(async () => {
    ({ connection, sent } = await connectRecording());
  });
  afterAll(async () => {
    await connection?.close();
  });

  const greet = `lib_greet() { printf 'hello %s' "$1"; }\nlib_default='from the library'`;
  const shout = `lib_greet() { printf 'HELLO %s' "$1"; }`;

  it('defines a library for the script that names it, and sends its text only the first time', async () => {
    expect((await connection.exec('lib_greet one; printf " %s" "$lib_default"', { libraries: [greet] })).stdout).toBe('hello one from the library');
    expect((await connection.exec('lib_greet two', { libraries: [greet] })).stdout).toBe('hello two');
    expect(sent().split('from the library').length - 1).toBe(1);
  });

  it('gives each script exactly its own libraries, even when two define the same function', async () => {
    expect((await connection.exec('lib_greet three', { libraries: [shout] })).stdout).toBe('HELLO three');
    expect((await connection.exec('lib_greet four', { libraries: [greet] })).stdout).toBe('hello four');
    expect((await connection.exec('command -v lib_greet >/dev/null || echo absent')).stdout).toBe('absent\n');
  });

  it('keeps variables a script sets out of later scripts', async () => {
    await connection.exec('lib_default=changed', { libraries: [greet] });
    expect((await connection.exec('printf %s "$lib_default"', { libraries: [greet] })).stdout).toBe('from the library');
  });

  it('survives a library that does not parse: only its scripts fail', async () => {
    const broken = await connection.exec('echo unreachable', { libraries: ['lib_broken() { if; }'] });
    expect(broken.rc).not.toBe(0);
    expect((await connection.exec('echo still here')).stdout).toBe('still here\n');
  });
});
