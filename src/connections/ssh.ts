import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { Client, type AuthenticationType, type ClientChannel, type ConnectConfig } from 'ssh2';
import { ConnectionError } from '../errors.js';
import { FramedShell, type ShellTransport } from './framed-shell.js';
import { knownHostKeyAlgorithms, refusalForHostKey } from './host-key-policy.js';
import { shQuote } from './shell-scripts.js';
import type { Connection, SshTarget } from './types.js';

/**
 * Keepalives let a vanished host fail its command instead of hanging it forever: unless
 * ServerAliveInterval/CountMax say otherwise, a host silent for 30 s is unreachable.
 */
const KEEPALIVE_INTERVAL_MS = 10_000;
const KEEPALIVE_COUNT_MAX = 2;
/** A shell that has not exited this long after its input ended (a stuck host) is hung up on. */
const SHELL_EXIT_WAIT_MS = 2_000;

/**
 * One ssh2 connection per host carrying one long-lived `sh` (started with `exec`, so no
 * interactive rc files run per command). Jump hosts, if any, are connected first and
 * tunnelled through with direct-tcpip, as `ssh -J` does.
 */
export async function connectSsh(target: SshTarget): Promise<Connection> {
  const clients = await openClientChain(target);
  const client = clients[clients.length - 1]!;
  const endAll = () => clients.forEach((each) => each.end());
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  const lostMessage = () => `${target.host}: connection to ${target.address}:${target.port} lost${lastError ? `: ${lastError.message}` : ''}`;
  try {
    const channel = await openShellChannel(target, client);
    const shellGone = new Promise<void>((resolve) => channel.once('exit', () => resolve()).once('close', () => resolve()));
    const transport: ShellTransport = {
      stdin: channel,
      stdout: channel,
      stderr: channel.stderr,
      runSide: (script, args) => runSideCommand(client, `/bin/sh -c ${shQuote(script)} sh ${args.map(shQuote).join(' ')}`),
      close: async () => {
        await endShell(channel, shellGone);
        endAll();
        await closed;
      },
      lost: shellLost(client, channel).then((connectionGone) =>
        connectionGone ? lostMessage() : `${target.host}: the remote shell exited`,
      ),
    };
    return await FramedShell.start(target.host, transport);
  } catch (error) {
    endAll();
    throw error;
  }
}

/**
 * Ends the shell's input and waits, at most SHELL_EXIT_WAIT_MS, for it to be gone: sshd sends
 * the exit status once it has reaped the shell. Hanging up at once would leave the shell still
 * exiting, or a zombie, when a run started right after this one looks at the host lock's owner
 * (executor/host_lock.ts), which then costs that run a ps, or a wait, per host.
 */
function endShell(channel: ClientChannel, gone: Promise<void>): Promise<void> {
  channel.end();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, SHELL_EXIT_WAIT_MS);
    void gone.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Settles when the shell channel or the whole connection closes; true when the connection went.
 * A dropped connection closes its channels first, so a channel close waits briefly for the
 * connection's own close before blaming the shell.
 */
function shellLost(client: Client, channel: ClientChannel): Promise<boolean> {
  return new Promise((resolve) => {
    let connectionGone = false;
    client.once('close', () => {
      connectionGone = true;
      resolve(true);
    });
    // Unref'd: after a run's own close nobody waits for the verdict, and a held timer kept
    // every run alive 100 ms past its last output.
    channel.once('close', () => setTimeout(() => resolve(connectionGone), 100).unref());
  });
}

async function openClientChain(target: SshTarget): Promise<Client[]> {
  if (!target.proxyJump) return [await openClient(target)];
  const jumps = await openClientChain(target.proxyJump);
  try {
    const tunnel = await forwardThrough(jumps[jumps.length - 1]!, target);
    return [...jumps, await openClient(target, tunnel)];
  } catch (error) {
    jumps.forEach((each) => each.end());
    throw error;
  }
}

function openClient(target: SshTarget, sock?: Duplex): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refusal: ConnectionError | undefined;
    let ready = false;
    // Stays attached: after `ready`, errors reach the shell through the channel closing.
    client.on('error', (error: Error) => {
      if (ready) return;
      client.end();
      reject(refusal ?? connectFailure(target, error));
    });
    client.once('ready', () => {
      ready = true;
      resolve(client);
    });
    try {
      const config = connectConfig(target, (key) => {
        refusal = refusalForHostKey(target, key);
        return refusal === undefined;
      });
      if (sock) config.sock = sock;
      client.connect(config);
      // From the first packet, not from `ready`: with Nagle on during the handshake, the
      // authentication's small packets wait for the server's delayed ACKs (about 45 ms per
      // connection to the sandbox's sshd). A tunnel through a jump host has no socket option.
      client.setNoDelay(true);
    } catch (error) {
      client.end();
      reject(error instanceof ConnectionError ? error : connectFailure(target, error));
    }
  });
}

function connectConfig(target: SshTarget, hostVerifier: (key: Buffer) => boolean): ConnectConfig {
  const config: ConnectConfig = {
    host: target.address,
    port: target.port,
    username: target.user,
    readyTimeout: target.connectTimeoutMs,
    keepaliveInterval: target.serverAlive?.intervalMs ?? KEEPALIVE_INTERVAL_MS,
    keepaliveCountMax: target.serverAlive?.countMax ?? KEEPALIVE_COUNT_MAX,
    hostVerifier,
  };
  const preferred = knownHostKeyAlgorithms(target);
  if (preferred.length > 0) {
    // Keys apply in insertion order: drop them from the defaults, then put them first.
    config.algorithms = {
      serverHostKey: { remove: preferred, prepend: [...preferred].reverse(), append: [] },
    };
  }
  if (target.privateKeyFile) config.privateKey = readPrivateKey(target);
  if (target.password !== undefined) config.password = target.password;
  if (target.useAgent && process.env.SSH_AUTH_SOCK) config.agent = process.env.SSH_AUTH_SOCK;
  // The methods ssh2 tries, in its order, without the `none` request it opens with: a round
  // trip per host whose answer (the methods the server allows) ssh2 ignores anyway.
  const methods: AuthenticationType[] = [];
  if (config.password !== undefined) methods.push('password');
  if (config.privateKey !== undefined) methods.push('publickey');
  if (config.agent !== undefined) methods.push('agent');
  if (methods.length > 0) config.authHandler = methods;
  return config;
}

function readPrivateKey(target: SshTarget): Buffer {
  try {
    return readFileSync(target.privateKeyFile!);
  } catch (error) {
    throw new ConnectionError(`${target.host}: cannot read private key ${target.privateKeyFile}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function forwardThrough(jump: Client, target: SshTarget): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    jump.forwardOut('127.0.0.1', 0, target.address, target.port, (error, stream) => {
      if (error) {
        reject(new ConnectionError(`${target.host}: jump host ${target.proxyJump!.host} cannot reach ${target.address}:${target.port}: ${error.message}`, { cause: error }));
      } else {
        resolve(stream);
      }
    });
  });
}

function openShellChannel(target: SshTarget, client: Client): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.exec('exec /bin/sh', (error, channel) => {
      if (error) {
        reject(new ConnectionError(`${target.host}: cannot start a shell: ${error.message}`, { cause: error }));
      } else {
        resolve(channel);
      }
    });
  });
}

function runSideCommand(client: Client, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      channel.on('close', () => resolve());
      channel.resume();
      channel.stderr.resume();
    });
  });
}

function connectFailure(target: SshTarget, error: unknown): ConnectionError {
  const failure = error as Error & { code?: string; level?: string };
  const where = `${target.host}: cannot connect to ${target.user}@${target.address}:${target.port}`;
  return new ConnectionError(`${where}: ${connectFailureReason(target, failure)}`, { cause: error });
}

function connectFailureReason(target: SshTarget, error: Error & { code?: string; level?: string }): string {
  if (error.level === 'client-timeout') return `no SSH handshake within ${target.connectTimeoutMs} ms`;
  if (error.level === 'client-authentication') {
    return `authentication failed (tried ${authMethods(target).join(', ') || 'no credentials'})`;
  }
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'cannot resolve the address';
    case 'ECONNRESET':
      return 'connection reset by the server';
    default:
      return error.message;
  }
}

function authMethods(target: SshTarget): string[] {
  const methods: string[] = [];
  if (target.privateKeyFile) methods.push(`publickey ${target.privateKeyFile}`);
  if (target.useAgent) methods.push('agent');
  if (target.password !== undefined) methods.push('password');
  return methods;
}
