import { spawn } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from './protocol.js';

/** Set by bin/fleet.js to its own path: the program that runs the keeper. */
const FLEET_BIN = Symbol.for('fleet.bin');

/** A Unix socket's path must fit sockaddr_un (104 bytes on macOS, 108 on Linux). */
const MAX_SOCKET_PATH = 100;

/**
 * The keeper's socket, as ~/.ansible/cp holds Ansible's control sockets: in ~/.fleet/cp, which
 * must be a directory of this user's that nobody else may enter (whoever can reach the socket
 * can run commands on every kept host). Undefined when it cannot be so, or the path is too long:
 * then runs connect directly.
 */
export function keeperSocketPath(): string | undefined {
  socketPath ??= { path: privateSocketPath(homedir()) };
  return socketPath.path;
}

/** Found once per run: every host's connect asks. */
let socketPath: { path: string | undefined } | undefined;

function privateSocketPath(home: string): string | undefined {
  const dir = join(home, '.fleet', 'cp');
  // Named by protocol: a run of another fleet version finds a keeper it can talk to, or starts one.
  const path = join(dir, `keeper-${PROTOCOL_VERSION}.sock`);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) return undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== process.getuid?.()) return undefined;
    if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    return path;
  } catch {
    return undefined;
  }
}

/** Whether this process is the fleet program (bin/fleet.js), which can start a keeper, not fleet's modules imported elsewhere. */
export function runsAsFleet(): boolean {
  return fleetBin() !== undefined;
}

/** The fleet program this process runs as, when started by bin/fleet.js. */
function fleetBin(): string | undefined {
  const value = (globalThis as Record<symbol, unknown>)[FLEET_BIN];
  return typeof value === 'string' ? value : undefined;
}

/** Starts a keeper on `socketPath` in the background, outliving this run; false when this process cannot. */
export function startKeeper(socketPath: string): boolean {
  const bin = fleetBin();
  if (bin === undefined) return false;
  try {
    const child = spawn(process.execPath, [bin, 'connection-keeper', socketPath], { detached: true, stdio: 'ignore', cwd: '/' });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** A socket connected to the keeper's `path`; rejects when nothing listens there. */
export function connectTo(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path, allowHalfOpen: true });
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Whether a keeper answers at `path` (the socket file of one that died does not). */
export function answers(path: string): Promise<boolean> {
  return connectTo(path).then(
    (socket) => {
      socket.destroy();
      return true;
    },
    () => false,
  );
}
