import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fixtures } from './support.js';

export interface LoopbackHttp {
  /** `http://<loopback address>:<port>`, no trailing slash. */
  base: string;
  /** The same address on a port nothing listens on (for connection-refused answers). */
  closed: string;
  stop(): void;
}

/**
 * Starts fixtures/loopback_http_server.mjs in its own process: the tools under test run
 * synchronously (spawnSync), which would stall a server in the test's own event loop.
 */
export function startLoopbackHttp(): Promise<LoopbackHttp> {
  const child: ChildProcess = spawn(process.execPath, [join(fixtures, 'loopback_http_server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let printed = '';
    child.once('error', reject);
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      const line = printed.split('\n')[0];
      if (printed.includes('\n') && line) {
        resolve({ base: line, closed: line.replace(/:\d+$/, ':1'), stop: () => child.kill() });
      }
    });
  });
}

/** A program run in DIR without blocking the event loop, colour off, stdin closed. */
export function runTool(command: string, args: string[], dir: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}
