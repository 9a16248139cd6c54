import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FramedShell, type ShellTransport } from '../../src/connections/framed-shell.js';
import { ConnectionError } from '../../src/errors.js';

/**
 * A real `sh` child as a transport, recording in `events` when a write reaches its stdin and
 * when its first answer arrives; `rewrite` changes what the shell is sent.
 */
function recordedShell(args: string[], events: string[], rewrite = (text: string) => text): ShellTransport {
  const child = spawn('/bin/sh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const stdin = new PassThrough();
  stdin.on('data', (chunk: Buffer) => {
    events.push('write');
    child.stdin.write(rewrite(chunk.toString()));
  });
  stdin.on('end', () => child.stdin.end());
  // A write to a shell that has exited fails as the framed shell's own stdin would.
  child.stdin.on('error', (error) => stdin.destroy(error));
  child.stdout.once('data', () => events.push('answer'));
  const exited = once(child, 'exit');
  return {
    stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    runSide: async (script, sideArgs) => {
      await once(spawn('/bin/sh', ['-c', script, 'sh', ...sideArgs], { stdio: 'ignore' }), 'exit');
    },
    close: async () => {
      stdin.end();
      await exited;
    },
    lost: exited.then(() => 'the test shell exited'),
  };
}

describe('a framed shell starting', () => {
  it('sends the first commands behind its prelude without waiting for the shell to answer: one round trip', async () => {
    const events: string[] = [];
    const shell = await FramedShell.start('local', recordedShell([], events));
    const first = shell.exec('echo one');
    const second = shell.exec('echo two');
    expect(await Promise.all([first, second])).toEqual([
      { rc: 0, stdout: 'one\n', stderr: '' },
      { rc: 0, stdout: 'two\n', stderr: '' },
    ]);
    expect(events.indexOf('answer')).toBe(events.lastIndexOf('write') + 1);
    // The pid the prelude printed is the shell's, which a timed-out command's killer needs.
    const started = Date.now();
    expect((await shell.exec('sleep 5', { timeoutMs: 200 })).timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await shell.exec('echo alive')).toEqual({ rc: 0, stdout: 'alive\n', stderr: '' });
    await shell.close();
  });

  it('fails the commands sent behind it, and closes, when the shell could not define the function that runs them', async () => {
    const shell = await FramedShell.start('local', recordedShell([], [], (text) => text.replace('__fleet_run() {', '__fleet_other() {')));
    await expect(shell.exec('echo one')).rejects.toThrow(/^local: the remote shell is not a working POSIX sh/);
    await expect(shell.exec('echo two')).rejects.toBeInstanceOf(ConnectionError);
  });

  it('fails the commands sent behind it when the shell goes away before answering', async () => {
    const shell = await FramedShell.start('local', recordedShell(['-c', 'exit 3'], []));
    // Which comes first, the shell's exit or a write it did not read, decides the message.
    await expect(shell.exec('echo one')).rejects.toThrow(/^(the test shell exited|local: cannot write to the remote shell)/);
    await expect(shell.exec('echo two')).rejects.toBeInstanceOf(ConnectionError);
  });
});
