import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, type SshTarget } from '../../src/connections/index.js';
import { ConnectionError } from '../../src/errors.js';
import { ensureSandbox, sandboxHost, sandboxTarget } from '../support/sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-ssh-connect-'));
let fileCount = 0;

function knownHosts(text: string): string {
  const file = join(dir, `known_hosts.${++fileCount}`);
  writeFileSync(file, text);
  return file;
}

/** `ssh-keygen -l` is the ground truth for fingerprints in messages. */
function fingerprintOf(pubFile: string): string {
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubFile], { encoding: 'utf8' }).split(' ')[1]!;
}

function publicKeyLine(pubFile: string): string {
  return readFileSync(pubFile, 'utf8').split(' ').slice(0, 2).join(' ');
}

async function connectAndRun(target: SshTarget): Promise<string> {
  const connection = await connectSsh(target);
  try {
    return (await connection.exec('id -un')).stdout.trim();
  } finally {
    await connection.close();
  }
}

async function connectFailure(target: SshTarget): Promise<ConnectionError> {
  try {
    await connectSsh(target);
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectionError);
    return error as ConnectionError;
  }
  throw new Error(`connecting to ${target.host} unexpectedly succeeded`);
}

let otherKeyPub: string;
let presented: string;
let hostLine: string;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  ensureSandbox();
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'other_key')]);
  otherKeyPub = join(dir, 'other_key.pub');
  presented = fingerprintOf(sandboxHost('h3').hostKeyPub);
  hostLine = `[${sandboxHost('h3').address}]:${sandboxHost('h3').port} ${publicKeyLine(sandboxHost('h3').hostKeyPub)}`;
});

describe('host key checking', () => {
  it('strict: connects when the key is known, also via a hashed entry', async () => {
    expect(await connectAndRun(sandboxTarget('h3'))).toBe('fleet-h3');
    const hashed = knownHosts(`${hostLine}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', hashed], { stdio: 'ignore' });
    expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|/);
    expect(await connectAndRun(sandboxTarget('h3', { knownHostsFile: hashed }))).toBe('fleet-h3');
  });

  it('strict: refuses an unknown key, naming the host and the presented fingerprint', async () => {
    const error = await connectFailure(sandboxTarget('h3', { knownHostsFile: knownHosts('') }));
    expect(error.message).toContain('h3 (127.0.1.3:');
    expect(error.message).toContain(`ssh-ed25519 ${presented}`);
    expect(error.message).toMatch(/not known/);
  });

  it('strict and accept-new: refuse a changed key, naming both fingerprints', async () => {
    const file = knownHosts(`[${sandboxHost('h3').address}]:${sandboxHost('h3').port} ${publicKeyLine(otherKeyPub)}\n`);
    for (const hostKeyChecking of ['strict', 'accept-new'] as const) {
      const error = await connectFailure(sandboxTarget('h3', { knownHostsFile: file, hostKeyChecking }));
      expect(error.message).toMatch(/HOST KEY HAS CHANGED/);
      expect(error.message).toContain(presented);
      expect(error.message).toContain(fingerprintOf(otherKeyPub));
    }
  });

  it('accept-new: appends an unknown key the way ssh would, then strict accepts it', async () => {
    const file = join(dir, 'created-by-accept-new');
    expect(await connectAndRun(sandboxTarget('h3', { knownHostsFile: file, hostKeyChecking: 'accept-new' }))).toBe('fleet-h3');
    expect(readFileSync(file, 'utf8')).toBe(`${hostLine}\n`);
    execFileSync('ssh-keygen', ['-F', `[${sandboxHost('h3').address}]:${sandboxHost('h3').port}`, '-f', file], { stdio: 'ignore' });
    expect(await connectAndRun(sandboxTarget('h3', { knownHostsFile: file }))).toBe('fleet-h3');
  });

  it('refuses a @revoked key', async () => {
    const error = await connectFailure(sandboxTarget('h3', { knownHostsFile: knownHosts(`${hostLine}\n@revoked * ${publicKeyLine(sandboxHost('h3').hostKeyPub)}\n`) }));
    expect(error.message).toMatch(/revoked host key/);
    expect(error.message).toContain(presented);
  });

  it('says @cert-authority is not supported', async () => {
    const error = await connectFailure(sandboxTarget('h3', { knownHostsFile: knownHosts(`@cert-authority * ${publicKeyLine(otherKeyPub)}\n`) }));
    expect(error.message).toMatch(/@cert-authority, which fleet does not support/);
  });

  it('off: accepts any key', async () => {
    expect(await connectAndRun(sandboxTarget('h3', { knownHostsFile: knownHosts(''), hostKeyChecking: 'off' }))).toBe('fleet-h3');
  });
});

describe('connect failures are one-line ConnectionErrors', () => {
  let silent: Server;
  let silentPort: number;
  beforeAll(async () => {
    // Accepts TCP and never says a word, like a wedged sshd or a wrong service.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.1.201', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(() => {
    silent.close();
  });

  it('refused port fails fast', async () => {
    const started = Date.now();
    const error = await connectFailure(sandboxTarget('h3', { address: '127.0.1.200', connectTimeoutMs: 10_000 }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.message).toBe('Failed to connect to the host via ssh: ssh: connect to host 127.0.1.200 port 2222: Connection refused');
  });

  it('a server that never speaks SSH times out at connectTimeoutMs', async () => {
    const started = Date.now();
    const error = await connectFailure(sandboxTarget('h3', { address: '127.0.1.201', port: silentPort, connectTimeoutMs: 800 }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.message).toBe(`Failed to connect to the host via ssh: Connection timed out during banner exchange\r\nConnection to 127.0.1.201 port ${silentPort} timed out`);
  });

  it('a wrong key or user is an authentication failure', async () => {
    const wrongKey = await connectFailure(sandboxTarget('h3', { privateKeyFile: join(dir, 'other_key') }));
    expect(wrongKey.message).toBe('Failed to connect to the host via ssh: fleet-h3@127.0.1.3: Permission denied (publickey).');
    const wrongUser = await connectFailure(sandboxTarget('h3', { user: 'fleet-h1' }));
    expect(wrongUser.message).toBe('Failed to connect to the host via ssh: fleet-h1@127.0.1.3: Permission denied (publickey).');
  });

  it('a missing private key file is named', async () => {
    const error = await connectFailure(sandboxTarget('h3', { privateKeyFile: join(dir, 'absent') }));
    expect(error.message).toMatch(/cannot read private key .*absent/);
    expect(error.message).not.toContain('\n');
  });
});
