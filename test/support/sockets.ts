/** Established TCP connections as `ss -tnp` reports them, to see SSH connections from the sshd side. */
import { execFileSync } from 'node:child_process';

export interface TcpSocket {
  local: string;
  peer: string;
  /** Pids of the processes holding the socket. */
  pids: number[];
  /** Their command names (e.g. sshd, node). */
  commands: string[];
}

export function establishedSockets(): TcpSocket[] {
  const text = execFileSync('ss', ['-tnpH', 'state', 'established'], { encoding: 'utf8' });
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      // Columns: Recv-Q Send-Q Local Peer Process
      const [, , local = '', peer = '', ...process] = line.trim().split(/\s+/);
      const users = process.join(' ');
      return {
        local,
        peer,
        pids: [...users.matchAll(/pid=(\d+)/g)].map((match) => Number(match[1])),
        commands: [...users.matchAll(/\("([^"]+)"/g)].map((match) => match[1]!),
      };
    });
}

/**
 * SSH connections that the sshd at `address:port` is serving for process `clientPid`: sockets
 * held by sshd on `address:port` whose peer is a socket held by `clientPid`.
 */
export function sshdConnectionsFrom(clientPid: number, address: string, port: number): number {
  const sockets = establishedSockets();
  const server = `${address}:${port}`;
  const clientEnds = new Set(sockets.filter((s) => s.peer === server && s.pids.includes(clientPid)).map((s) => s.local));
  return sockets.filter((s) => s.local === server && s.commands.includes('sshd') && clientEnds.has(s.peer)).length;
}
