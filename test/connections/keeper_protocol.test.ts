import { describe, expect, it } from 'vitest';
import { FRAME, FrameReader, LineReader, connectionKey, frame } from '../../src/connections/keeper/protocol.js';
import type { SshTarget } from '../../src/connections/types.js';

const target: SshTarget = { host: 'web1', address: '10.0.0.5', port: 22, user: 'deploy', knownHostsFile: '/kh', hostKeyChecking: 'strict', connectTimeoutMs: 10_000 };

describe('the keeper protocol', () => {
  it('gives back every frame whole, however the stream is cut', () => {
    const stream = Buffer.concat([frame(FRAME.stdout, 'hello'), frame(FRAME.stderr, Buffer.alloc(70_000, 1)), frame(FRAME.exit, ''), frame(FRAME.closed, '{"connectionGone":false}')]);
    for (const size of [1, 3, 5, 4096, stream.length]) {
      const seen: Array<[number, number]> = [];
      const reader = new FrameReader((type, payload) => seen.push([type, payload.length]));
      for (let at = 0; at < stream.length; at += size) reader.push(stream.subarray(at, at + size));
      expect(seen).toEqual([[FRAME.stdout, 5], [FRAME.stderr, 70_000], [FRAME.exit, 0], [FRAME.closed, 24]]);
    }
  });

  it('reads the request line and hands on what follows it, also what came before anyone asked', () => {
    const lines: string[] = [];
    const reader = new LineReader((line) => lines.push(line));
    reader.push(Buffer.from('{"v":'));
    reader.push(Buffer.from('1}\nfirst bytes'));
    const rest: string[] = [];
    reader.follow((chunk) => rest.push(chunk.toString()));
    reader.push(Buffer.from(' and more\n'));
    expect(lines).toEqual(['{"v":1}']);
    expect(rest.join('')).toBe('first bytes and more\n');
  });

  it('keys a connection by how it is made, not by the inventory name', () => {
    expect(connectionKey({ ...target, host: 'alias' })).toBe(connectionKey(target));
    expect(connectionKey({ ...target, port: 2222 })).not.toBe(connectionKey(target));
    expect(connectionKey({ ...target, knownHostsFile: '/other' })).not.toBe(connectionKey(target));
    expect(connectionKey({ ...target, privateKeyFile: '/id' })).not.toBe(connectionKey(target));
    expect(connectionKey({ ...target, proxyJump: { ...target, address: 'bastion' } })).not.toBe(connectionKey(target));
  });
});
