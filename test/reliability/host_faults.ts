/**
 * Faults on a sandbox host: its sshd and every session under it killed or frozen, by pid
 * (the pid file's sshd and its descendants), and brought back by the sandbox script.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { repoRoot, type SandboxHost } from '../support/sandbox.js';

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The host's sshd and all its descendants (connection handlers, shells, commands). */
export function hostProcesses(host: SandboxHost): number[] {
  const root = Number(readFileSync(host.pidFile, 'utf8').trim());
  const all = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  const family = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const pid of all) {
      const parent = parentOf(pid);
      if (parent !== undefined && family.has(parent) && !family.has(pid)) {
        family.add(pid);
        grew = true;
      }
    }
  }
  return [...family];
}

export function signalHost(host: SandboxHost, signal: NodeJS.Signals): number[] {
  const pids = hostProcesses(host);
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
  return pids;
}

/** Starts whatever sandbox host is down again (the script's `up` leaves running ones alone). */
export function restartHosts(count: number): void {
  execFileSync(join(repoRoot, 'scripts', 'sandbox-hosts.sh'), ['up', String(count)], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A TCP server that accepts connections and never says a word (no SSH banner). */
export async function silentServer(address: string): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const port = (server.address() as { port: number }).port;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { server, port, close };
}
