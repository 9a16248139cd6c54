import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../../src/errors.js';
import { connectLocal, connectSsh, type Connection } from '../../src/connections/index.js';
import { ensureSandbox, sandboxTarget } from '../support/sandbox.js';

/** The same behaviour is required of both transports: they share the framing code. */
const kinds: Array<[string, () => Promise<Connection>]> = [
  ['ssh', () => connectSsh(sandboxTarget('h1'))],
  ['local', () => connectLocal('localhost')],
];

/** Live processes whose command line contains `pattern` (zombies have none, so they don't count). */
function processesMatching(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-a', '-f', pattern], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

beforeAll(() => {
  ensureSandbox();
});

describe.each(kinds)('exec over %s', (kind, connect) => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await connect();
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('returns rc, stdout and stderr exactly, trailing newlines included', async () => {
    expect(await connection.exec('printf "out\\n\\n\\n"; printf "err\\n\\n" >&2; exit 3')).toEqual({
      rc: 3,
      stdout: 'out\n\n\n',
      stderr: 'err\n\n',
    });
  });

  it('returns empty output and output without a final newline', async () => {
    expect(await connection.exec('true')).toEqual({ rc: 0, stdout: '', stderr: '' });
    expect(await connection.exec('')).toEqual({ rc: 0, stdout: '', stderr: '' });
    expect(await connection.exec('printf abc; printf def >&2')).toEqual({ rc: 0, stdout: 'abc', stderr: 'def' });
  });

  it('keeps exit, cd, set -e, exec redirections and variables inside the command', async () => {
    const home = (await connection.exec('pwd')).stdout;
    expect((await connection.exec('exit 7')).rc).toBe(7);
    expect((await connection.exec('cd /; FLEET_LEAK=1; set -e; exec >/dev/null; false; echo unreachable')).rc).toBe(1);
    expect(await connection.exec('pwd; echo "${FLEET_LEAK-unset}"; case $- in *e*) echo errexit;; esac')).toEqual({
      rc: 0,
      stdout: `${home}unset\n`,
      stderr: '',
    });
  });

  it('gives the command an empty stdin so it cannot swallow the next command', async () => {
    expect(await connection.exec('cat; read line; echo "read=$? line=$line"')).toEqual({ rc: 0, stdout: 'read=1 line=\n', stderr: '' });
    expect((await connection.exec('echo still here')).stdout).toBe('still here\n');
  });

  it('runs with no positional parameters and cannot see the end marker token', async () => {
    const result = await connection.exec('echo "$#"; set | grep -c __fleet_end_ || true');
    expect(result.stdout).toBe('0\n0\n');
  });

  it('is not fooled by output that looks like an end marker', async () => {
    const fake = '\n__fleet_end_00000000000000000000000000000000:0\n';
    const result = await connection.exec(`printf '${fake.replace(/\n/g, '\\n')}'; echo done`);
    expect(result).toEqual({ rc: 0, stdout: `${fake}done\n`, stderr: '' });
  });

  it('survives syntax errors and reports them like sh', async () => {
    const result = await connection.exec('if then fi');
    expect(result.rc).toBe(2);
    expect(result.stderr).toMatch(/syntax error/i);
    expect((await connection.exec('echo ok')).stdout).toBe('ok\n');
  });

  it('passes quotes, heredocs and multi-line scripts through unchanged', async () => {
    const script = "x='it'\\''s'\ncat <<EOF\n$x \"q\" \\`b\\`\nEOF\necho 'last line'";
    expect(await connection.exec(script)).toEqual({ rc: 0, stdout: 'it\'s "q" `b`\nlast line\n', stderr: '' });
  });

  it('carries 5 MB of output and a large stderr at the same time', async () => {
    const result = await connection.exec(
      "head -c 5000000 /dev/zero | tr '\\0' x; printf '\\n\\n'; head -c 1000000 /dev/zero | tr '\\0' e >&2",
    );
    expect(result.rc).toBe(0);
    expect(result.stdout.length).toBe(5_000_002);
    expect(result.stdout).toBe(`${'x'.repeat(5_000_000)}\n\n`);
    expect(result.stderr).toBe('e'.repeat(1_000_000));
  });

  it('keeps framing intact on binary, non-UTF-8 output', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x80, 0x61, 0xc3]);
    const result = await connection.exec("printf '\\377\\376\\000\\n\\200a\\303'; printf '\\377' >&2");
    expect(result.stdout).toBe(bytes.toString('utf8'));
    expect(result.stderr).toBe(Buffer.from([0xff]).toString('utf8'));
    expect((await connection.exec('echo next')).stdout).toBe('next\n');
  });

  it('queues concurrent calls and answers each in order', async () => {
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => connection.exec(`sleep 0.0$((${i} % 3)); echo ${i}; exit ${i}`)));
    expect(results.map((r) => [r.stdout, r.rc])).toEqual(Array.from({ length: 25 }, (_, i) => [`${i}\n`, i]));
  });

  it('pipelines concurrent calls: later commands are already on the host while the controller is busy', async () => {
    // Each command prints when it started (ms). The event loop is then blocked: a command sent
    // only after the previous answer was read could not start before the block ends.
    const calls = Array.from({ length: 5 }, () => connection.exec('sleep 0.05; date +%s%3N'));
    const blockEnds = Date.now() + 800;
    while (Date.now() < blockEnds) {
      // busy: no answer can be read, no command written
    }
    const started = (await Promise.all(calls)).map((result) => Number(result.stdout.trim()));
    expect(started.filter((ms) => ms < blockEnds)).toHaveLength(5);
  });

  it('answers pipelined commands apart, with big interleaved stdout and stderr, and runs a timed one alone after them', async () => {
    const big = (i: number) => `head -c ${100_000 + i} /dev/zero | tr '\\0' ${i}; printf 'err${i}' >&2; exit ${i}`;
    const untimed = Array.from({ length: 6 }, (_, i) => connection.exec(big(i)));
    const timed = connection.exec('sleep 5; echo late', { timeoutMs: 300 });
    const after = connection.exec('echo after');
    const results = await Promise.all(untimed);
    results.forEach((result, i) => {
      expect([result.rc, result.stdout.length, new Set(result.stdout).size, result.stderr]).toEqual([i, 100_000 + i, 1, `err${i}`]);
    });
    expect((await timed).timedOut).toBe(true);
    expect(await after).toEqual({ rc: 0, stdout: 'after\n', stderr: '' });
  });

  it('closed with pipelined commands queued (an interrupted loop), runs none of them', async () => {
    const closing = await connect();
    const dir = (await closing.exec('mktemp -d')).stdout.trim();
    const calls = [closing.exec('sleep 3'), closing.exec(`touch ${dir}/second`), closing.exec(`touch ${dir}/third`)];
    for (const call of calls) call.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await closing.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await connection.exec(`ls -A ${dir}; rmdir ${dir}`)).stdout).toBe('');
  });

  it('kills a command that exceeds its timeout, with its children, and stays usable', async () => {
    const tag = 3000 + Math.floor(Math.random() * 900);
    const started = Date.now();
    const result = await connection.exec(`sleep ${tag}.1 & sleep ${tag}.2; echo finished`, { timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.timedOut).toBe(true);
    expect(result.rc).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(processesMatching(`sleep ${tag}\\.`)).toBe('');
    expect(await connection.exec('echo alive', { timeoutMs: 5000 })).toEqual({ rc: 0, stdout: 'alive\n', stderr: '' });
  });

  it('rejects a command in flight when the remote shell dies, and every later one', async () => {
    const doomed = await connect();
    // The shell's parent is the per-connection sshd process (ssh) or this test process (local).
    const [shellPid, parentPid] = (await doomed.exec('echo "$$ $(ps -o ppid= -p $$)"')).stdout.trim().split(/\s+/).map(Number);
    const victim = parentPid === process.pid ? shellPid! : parentPid!;
    const pending = doomed.exec('sleep 30');
    setTimeout(() => process.kill(victim, 'SIGKILL'), 200);
    await expect(pending).rejects.toBeInstanceOf(ConnectionError);
    await expect(pending).rejects.toThrow(kind === 'ssh' ? /^h1: connection to 127\.0\.1\.1:2222 lost/ : /^localhost: the local shell exited/);
    await expect(doomed.exec('echo hi')).rejects.toBeInstanceOf(ConnectionError);
    await doomed.close();
  });

  it('closes only once its shell is gone, not still exiting nor a zombie (the next run finds the host lock free)', async () => {
    const closing = await connect();
    // $$ is the long-lived shell's pid, even in the subshell a command runs in.
    const shellPid = Number((await closing.exec('echo $$')).stdout.trim());
    await closing.close();
    expect(() => process.kill(shellPid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('fails with a ConnectionError when a command kills the shell itself', async () => {
    const doomed = await connect();
    await expect(doomed.exec('kill -9 $$')).rejects.toThrow(kind === 'ssh' ? /^h1: the remote shell exited$/ : /^localhost: the local shell exited \(SIGKILL\)$/);
    await expect(doomed.exec('true')).rejects.toBeInstanceOf(ConnectionError);
    await doomed.close();
  });
});
