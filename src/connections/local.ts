import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ConnectionError } from '../errors.js';
import { FramedShell, type ShellTransport } from './framed-shell.js';
import type { Connection } from './types.js';

/** A connection to the controller itself: a persistent local `sh` child, framed like ssh. */
export async function connectLocal(host: string): Promise<Connection> {
  const child = spawn('/bin/sh', [], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new ConnectionError(`${host}: cannot start /bin/sh: ${error.message}`, { cause: error })));
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const transport: ShellTransport = {
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    runSide: async (script, args) => {
      const side = spawn('/bin/sh', ['-c', script, 'sh', ...args], { stdio: 'ignore' });
      await once(side, 'exit');
    },
    close: async () => {
      child.stdin.end();
      await exited;
    },
    lost: exited.then(([code, signal]) => `${host}: the local shell exited (${signal ?? `status ${code}`})`),
  };
  return FramedShell.start(host, transport);
}
