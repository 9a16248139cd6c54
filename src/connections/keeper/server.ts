/**
 * The connection keeper: fleet's ControlPersist. One background process per controller user
 * keeps each host's SSH connection open after a run ends, so the next run within the
 * persist time opens a channel on it instead of logging in again (a TCP and SSH handshake,
 * key exchange, authentication and a new sshd on the host: most of what a short run costs a
 * host). Ansible's ssh connection does the same through OpenSSH's ControlMaster, for 60 s by
 * default. A connection is checked (host key, login) when it is made, as OpenSSH's master is;
 * runs reach the keeper through a Unix socket in a directory only their user can enter.
 */
import { rmSync, renameSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Client, ClientChannel } from 'ssh2';
import { openClientChain, openShellChannel } from '../ssh.js';
import type { SshTarget } from '../types.js';
import { answers } from './place.js';
import { FRAME, LineReader, PROTOCOL_VERSION, connectionKey, frame, type ChannelClosed, type KeeperAnswer, type KeeperRequest } from './protocol.js';

/** How long a closed channel waits to learn whether its connection closed with it. */
const CONNECTION_CLOSE_GRACE_MS = 100;

/** How long an ending keeper waits for its last handles to close before it exits anyway. */
const LINGER_MS = 5_000;

/** With no connection kept and no run talking to it this long, the keeper ends. */
const IDLE_EXIT_MS = 10_000;

interface Kept {
  key: string;
  /** The connection to the host, and the jump hosts' before it. */
  clients: Client[];
  client: Client;
  channels: number;
  /** Set when the connection broke or was forgotten: no new channel opens on it. */
  retired: boolean;
  /** The connection itself closed. */
  closed: boolean;
  lastError?: string;
  idleTimer?: NodeJS.Timeout;
  persistSeconds: number;
}

export class ConnectionKeeper {
  private readonly live = new Map<string, Kept>();
  private readonly connecting = new Map<string, Promise<Kept>>();
  private sockets = 0;
  private exitTimer?: NodeJS.Timeout;
  private server?: Server;
  private socketInode?: number;

  constructor(private readonly socketPath: string) {}

  /**
   * Listens on a private name, then renames the socket into place, unless a working keeper
   * already answers there: of two runs that each started a keeper, one keeper stays.
   */
  async listen(): Promise<boolean> {
    if (await answers(this.socketPath)) return false;
    const privatePath = `${this.socketPath}.${process.pid}`;
    rmSync(privatePath, { force: true });
    const server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(privatePath, () => resolve());
    });
    this.socketInode = statSync(privatePath).ino;
    renameSync(privatePath, this.socketPath);
    this.server = server;
    this.armExit();
    return true;
  }

  private accept(socket: Socket): void {
    this.sockets += 1;
    clearTimeout(this.exitTimer);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      this.sockets -= 1;
      this.armExit();
    });
    let asked = false;
    const reader = new LineReader((line) => {
      asked = true;
      void this.handle(socket, line, reader);
    });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    // Half-open sockets are allowed for a channel's EOF; one that ends before asking anything
    // (a run checking that a keeper answers) would otherwise stay open and keep the keeper.
    socket.once('end', () => {
      if (!asked) socket.destroy();
    });
  }

  private async handle(socket: Socket, line: string, reader: LineReader): Promise<void> {
    let request: KeeperRequest;
    try {
      request = JSON.parse(line) as KeeperRequest;
      if (request.v !== PROTOCOL_VERSION) throw new Error(`protocol version ${String(request.v)}`);
    } catch (error) {
      return answer(socket, { ok: false, message: `bad request: ${String(error)}` }, true);
    }
    if (request.op === 'forget') {
      await this.forget(request.target);
      return answer(socket, { ok: true }, true);
    }
    let opened: { kept: Kept; channel: ClientChannel };
    try {
      opened = await this.openChannel(request.target, request.persistSeconds, request.op === 'side' ? request.command : undefined);
    } catch (error) {
      return answer(socket, { ok: false, message: (error as Error).message }, true);
    }
    answer(socket, { ok: true }, false);
    this.pipe(socket, reader, opened.kept, opened.channel);
  }

  /**
   * A channel on the target's kept connection, or on a new one when the kept one can open no
   * more (sshd's MaxSessions, 10 by default) or broke without our hearing of it yet.
   */
  private async openChannel(target: SshTarget, persistSeconds: number, command?: string): Promise<{ kept: Kept; channel: ClientChannel }> {
    const key = connectionKey(target);
    for (let attempt = 0; ; attempt += 1) {
      const kept = await this.connection(key, target);
      kept.persistSeconds = persistSeconds;
      kept.channels += 1;
      clearTimeout(kept.idleTimer);
      try {
        const channel = command === undefined ? await openShellChannel(target, kept.client) : await execChannel(kept.client, command);
        return { kept, channel };
      } catch (error) {
        this.retire(kept);
        this.release(kept);
        if (attempt > 0) throw error;
      }
    }
  }

  private connection(key: string, target: SshTarget): Promise<Kept> {
    const live = this.live.get(key);
    if (live) return Promise.resolve(live);
    let pending = this.connecting.get(key);
    if (!pending) {
      pending = openClientChain(target).then((clients) => this.watch(key, clients));
      this.connecting.set(key, pending);
      const settled = () => {
        this.connecting.delete(key);
        this.armExit();
      };
      // A failed login is not kept: the next run tries again, as a new ssh would.
      pending.then(settled, settled);
    }
    return pending;
  }

  private watch(key: string, clients: Client[]): Kept {
    const client = clients[clients.length - 1]!;
    const kept: Kept = { key, clients, client, channels: 0, retired: false, closed: false, persistSeconds: 0 };
    client.on('error', (error: Error) => {
      kept.lastError = error.message;
    });
    client.once('close', () => {
      kept.closed = true;
      this.retire(kept);
    });
    this.live.set(key, kept);
    return kept;
  }

  private pipe(socket: Socket, reader: LineReader, kept: Kept, channel: ClientChannel): void {
    const send = batchedWrites(socket);
    // How it failed reaches the run as the channel's close; an unheard error would end the keeper, and every run's channels with it.
    channel.on('error', () => undefined);
    channel.on('data', (chunk: Buffer) => send(frame(FRAME.stdout, chunk)));
    channel.stderr.on('data', (chunk: Buffer) => send(frame(FRAME.stderr, chunk)));
    channel.once('exit', () => send(frame(FRAME.exit, '')));
    void channelGone(kept, channel).then((connectionGone) => {
      const closed: ChannelClosed = { connectionGone };
      if (connectionGone && kept.lastError) closed.error = kept.lastError;
      socket.end(frame(FRAME.closed, JSON.stringify(closed)));
      this.release(kept);
    });
    reader.follow((chunk) => channel.write(chunk));
    socket.once('end', () => channel.end());
    // A run that went away without ending its shell: close the channel, as its own ssh's exit would.
    socket.once('close', () => channel.close());
  }

  /** One channel fewer; a connection left with none is kept for its persist time, then closed. */
  private release(kept: Kept): void {
    kept.channels -= 1;
    if (kept.channels > 0) return;
    if (kept.retired) return this.end(kept);
    // ControlPersist 0 (yes): kept until it breaks.
    if (kept.persistSeconds === 0) return;
    kept.idleTimer = setTimeout(() => this.retire(kept), kept.persistSeconds * 1000);
  }

  /** No new channel opens on `kept`; it closes once its last channel has. */
  private retire(kept: Kept): void {
    kept.retired = true;
    if (this.live.get(kept.key) === kept) this.live.delete(kept.key);
    if (kept.channels <= 0) this.end(kept);
    this.armExit();
  }

  private async forget(target: SshTarget): Promise<void> {
    const key = connectionKey(target);
    const kept = this.live.get(key) ?? (await this.connecting.get(key)?.catch(() => undefined));
    if (kept) this.retire(kept);
  }

  private end(kept: Kept): void {
    clearTimeout(kept.idleTimer);
    for (const client of kept.clients) client.end();
  }

  private armExit(): void {
    clearTimeout(this.exitTimer);
    if (this.sockets > 0 || this.live.size > 0 || this.connecting.size > 0) return;
    this.exitTimer = setTimeout(() => this.close(), IDLE_EXIT_MS);
  }

  private close(): void {
    this.server?.close();
    // Only our own socket: a keeper that lost the rename race must not remove the winner's.
    try {
      if (statSync(this.socketPath).ino === this.socketInode) rmSync(this.socketPath, { force: true });
    } catch {
      // Already gone.
    }
    // Ends as the last handle closes, so bin/fleet.js writes the keeper's code cache on the way
    // out (a process.exit would skip it, and every keeper would compile its code anew); a
    // handle that lingers does not keep it.
    setTimeout(() => process.exit(0), LINGER_MS).unref();
  }
}

/**
 * Writes to `socket`, those made in one tick in one system call: a command's answer comes as
 * packets for stdout and stderr read together, and each write wakes the run.
 */
function batchedWrites(socket: Socket): (data: Buffer) => void {
  let corked = false;
  return (data) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    socket.write(data);
  };
}

/**
 * Settles when the channel closes; true when its connection went too. A dropped connection
 * closes its channels first, so the verdict waits a moment for the connection's own close (as
 * ssh.ts's shellLost, without a listener per channel on a connection that lives for many).
 */
function channelGone(kept: Kept, channel: ClientChannel): Promise<boolean> {
  return new Promise((resolve) => {
    channel.once('close', () => {
      if (kept.closed) return resolve(true);
      setTimeout(() => resolve(kept.closed), CONNECTION_CLOSE_GRACE_MS);
    });
  });
}

function answer(socket: Socket, value: KeeperAnswer, end: boolean): void {
  const line = `${JSON.stringify(value)}\n`;
  if (end) socket.end(line);
  else socket.write(line);
}

function execChannel(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel)));
  });
}
