import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureSandbox, repoRoot, sandboxTarget } from '../support/sandbox.js';

/**
 * Nagle's algorithm during the SSH handshake makes the authentication's small packets wait
 * for the server's delayed ACKs (about 45 ms per connection to the sandbox's sshd), so the
 * socket must have TCP_NODELAY before its first byte goes out. Seen in the system calls
 * (strace), not in a timing.
 */
const dir = mkdtempSync(join(tmpdir(), 'fleet-no-delay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SocketCalls {
  /** Index of the first setsockopt(TCP_NODELAY, 1) on the host's socket, or -1. */
  noDelayAt: number;
  /** Index of the first write to it, or -1. */
  firstWriteAt: number;
}

function socketCalls(trace: string, address: string, port: number): SocketCalls {
  const lines = trace.split('\n');
  const connectAt = lines.findIndex((line) => /\bconnect\(/.test(line) && line.includes(`htons(${port})`) && line.includes(`inet_addr("${address}")`));
  expect(connectAt, `no connect() to ${address}:${port} in the trace`).toBeGreaterThanOrEqual(0);
  const fd = /connect\((\d+),/.exec(lines[connectAt]!)![1];
  // From the socket()'s creation on: the same descriptor number may have been used before.
  const createdAt = lines.slice(0, connectAt).findLastIndex((line) => /\bsocket\(AF_INET\b/.test(line) && line.endsWith(`= ${fd}`));
  expect(createdAt, `no socket() = ${fd} before the connect`).toBeGreaterThanOrEqual(0);
  const onSocket = lines.slice(createdAt).filter((line) => line.includes(`(${fd},`));
  return {
    noDelayAt: onSocket.findIndex((line) => /setsockopt\(\d+, SOL_TCP, TCP_NODELAY, \[1\]/.test(line)),
    firstWriteAt: onSocket.findIndex((line) => /\b(write|writev|sendmsg|sendto)\(/.test(line)),
  };
}

describe('an SSH connection', async () => {
  const strace = await execa('strace', ['-f', '-qq', '-o', '/dev/null', 'true'], { reject: false }).catch(() => null);

  it.runIf(strace?.exitCode === 0)('turns Nagle off before it sends its first byte', async () => {
    ensureSandbox();
    const target = sandboxTarget('h2');
    const script = join(dir, 'connect.mts');
    writeFileSync(
      script,
      `import { connectSsh } from ${JSON.stringify(join(repoRoot, 'src', 'connections', 'index.js'))};
const connection = await connectSsh(${JSON.stringify(target)});
process.stdout.write((await connection.exec('id -un')).stdout);
await connection.close();
`,
    );
    const log = join(dir, 'trace');
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
    // -ff: one file per thread, so no call is split into `<unfinished ...>` and `<... resumed>` by another thread's.
    const run = await execa('strace', ['-ff', '-qq', '-e', 'trace=socket,connect,setsockopt,write,writev,sendmsg,sendto', '-o', log, tsx, script], { reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(target.user);
    const traces = readdirSync(dir).filter((name) => name.startsWith('trace.')).map((name) => readFileSync(join(dir, name), 'utf8'));
    const connecting = traces.find((trace) => trace.includes(`inet_addr("${target.address}")`)) ?? '';
    const calls = socketCalls(connecting, target.address, target.port);
    expect(calls.firstWriteAt).toBeGreaterThanOrEqual(0);
    expect(calls.noDelayAt).toBeGreaterThanOrEqual(0);
    expect(calls.noDelayAt).toBeLessThan(calls.firstWriteAt);
  });
});
