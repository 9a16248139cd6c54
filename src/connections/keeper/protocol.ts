/**
 * What a run and the connection keeper (server.ts) say over the keeper's Unix socket, one
 * socket per channel. The run sends one request line (JSON); the keeper answers with one line
 * (JSON): the channel is open, or why not. Then the run's bytes are the channel's stdin (its
 * half-close is the channel's EOF), and the keeper's are frames: a type byte, a 32-bit length
 * and the payload.
 */
import type { SshTarget } from '../types.js';

export const PROTOCOL_VERSION = 1;

export type KeeperRequest =
  /** A long-lived `sh` on the host (what connectSsh opens). */
  | { v: number; op: 'shell'; target: SshTarget; persistSeconds: number }
  /** A command beside the shell, on the same connection; answered by `closed` when it ends. */
  | { v: number; op: 'side'; target: SshTarget; persistSeconds: number; command: string }
  /** reset_connection (ssh -O stop): no new channel reuses the host's connection. */
  | { v: number; op: 'forget'; target: SshTarget };

export type KeeperAnswer = { ok: true } | { ok: false; message: string };

export const FRAME = {
  stdout: 0x6f,
  stderr: 0x65,
  /** The channel's exit status came. */
  exit: 0x78,
  /** The channel closed; the payload is JSON ChannelClosed. */
  closed: 0x63,
} as const;

export interface ChannelClosed {
  /** The whole connection went, not just the channel. */
  connectionGone: boolean;
  /** The connection's last error, when it went with one. */
  error?: string;
}

const HEADER = 5;

export function frame(type: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.allocUnsafe(HEADER);
  header[0] = type;
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

/** Splits a byte stream back into frames, whatever the chunking. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (type: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= HEADER) {
      const length = this.pending.readUInt32BE(1);
      if (this.pending.length < HEADER + length) return;
      const type = this.pending[0] as number;
      const payload = this.pending.subarray(HEADER, HEADER + length);
      this.pending = this.pending.subarray(HEADER + length);
      this.onFrame(type, payload);
    }
  }
}

/** Reads one newline-ended line from the start of a stream; what follows it goes to `rest`. */
export class LineReader {
  private pending = '';
  private done = false;
  private held: Buffer[] | null = [];
  private rest: (chunk: Buffer) => void = (chunk) => this.held?.push(chunk);

  constructor(private readonly onLine: (line: string) => void) {}

  /** Where the bytes after the line go, those that came already first. */
  follow(rest: (chunk: Buffer) => void): void {
    const held = this.held ?? [];
    this.held = null;
    this.rest = rest;
    for (const chunk of held) rest(chunk);
  }

  push(chunk: Buffer): void {
    if (this.done) return this.rest(chunk);
    const newline = chunk.indexOf(0x0a);
    if (newline < 0) {
      this.pending += chunk.toString('utf8');
      return;
    }
    this.done = true;
    this.onLine(this.pending + chunk.subarray(0, newline).toString('utf8'));
    if (newline + 1 < chunk.length) this.rest(chunk.subarray(newline + 1));
  }
}

/**
 * What makes two requests one connection: everything about how it is made (address, login,
 * key, known_hosts and its checking, timeouts, jump hosts, agent), not the inventory name.
 */
export function connectionKey(target: SshTarget): string {
  const { host: _name, proxyJump, ...how } = target;
  return JSON.stringify([how, proxyJump ? connectionKey(proxyJump) : null]);
}
