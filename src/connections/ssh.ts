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
      lost: shellLost(client, channel).then((connectionGone) => lostReason(target, connectionGone, lastError?.message)),
    };
    return await FramedShell.start(target.host, transport);
  } catch (error) {
    endAll();
    throw error;
  }
}

/** Why a shell went away, for the commands it fails: its connection dropped, or the shell itself ended. */
export function lostReason(target: SshTarget, connectionGone: boolean, error?: string): string {
  if (!connectionGone) return `${target.host}: the remote shell exited`;
  return `${target.host}: connection to ${target.address}:${target.port} lost${error ? `: ${error}` : ''}`;
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

export async function openClientChain(target: SshTarget): Promise<Client[]> {
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
    const auth: AuthLog = { allowed: [], connected: false };
    client.once('connect', () => {
      auth.connected = true;
    });
    // Stays attached: after `ready`, errors reach the shell through the channel closing.
    client.on('error', (error: Error) => {
      if (ready) return;
      client.end();
      reject(refusal ?? connectFailure(target, error, auth));
    });
    client.once('ready', () => {
      ready = true;
      resolve(client);
    });
    try {
      const config = connectConfig(
        target,
        (key) => {
          refusal = refusalForHostKey(target, key);
          return refusal === undefined;
        },
        auth,
      );
      if (sock) config.sock = sock;
      client.connect(config);
      // From the first packet, not from `ready`: with Nagle on during the handshake, the
      // authentication's small packets wait for the server's delayed ACKs (about 45 ms per
      // connection to the sandbox's sshd). A tunnel through a jump host has no socket option.
      client.setNoDelay(true);
    } catch (error) {
      client.end();
      reject(error instanceof ConnectionError ? error : connectFailure(target, error, auth));
    }
  });
}

/**
 * How far a connection got, for OpenSSH's words when it fails: whether the TCP connection was
 * made, and the methods the server said could go on at its last USERAUTH_FAILURE.
 */
interface AuthLog {
  connected: boolean;
  allowed: readonly string[];
}

function connectConfig(target: SshTarget, hostVerifier: (key: Buffer) => boolean, auth: AuthLog = { allowed: [], connected: false }): ConnectConfig {
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
  const agent = target.agentSocket ?? process.env.SSH_AUTH_SOCK;
  if (target.useAgent && agent) config.agent = agent;
  // The methods ssh2 tries, in its order, without the `none` request it opens with: a round
  // trip per host whose answer (the methods the server allows) ssh2 ignores anyway.
  const methods: AuthenticationType[] = [];
  if (config.password !== undefined) methods.push('password');
  if (config.privateKey !== undefined) methods.push('publickey');
  if (config.agent !== undefined) methods.push('agent');
  if (methods.length > 0) {
    let next = 0;
    config.authHandler = (allowed) => {
      if (allowed) auth.allowed = allowed;
      // ssh2 ends the authentication when the handler answers false.
      return next < methods.length ? methods[(next += 1) - 1] : (false as unknown as AuthenticationType);
    };
  }
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

export function openShellChannel(target: SshTarget, client: Client): Promise<ClientChannel> {
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

/**
 * What ansible-playbook reports for a host it cannot reach: its ssh plugin's "Failed to connect
 * to the host via ssh: " and what OpenSSH's ssh said on stderr, worded as ssh words it.
 */
function connectFailure(target: SshTarget, error: unknown, auth: AuthLog): ConnectionError {
  const failure = error as Error & { code?: string; level?: string };
  return new ConnectionError(`Failed to connect to the host via ssh: ${sshSaid(target, failure, auth)}`, { cause: error });
}

function sshSaid(target: SshTarget, error: Error & { code?: string; level?: string }, auth: AuthLog): string {
  const connect = `ssh: connect to host ${target.address} port ${target.port}`;
  // OpenSSH lists the methods the server would still take; the `none` probe ssh2 skips is where it first hears them.
  if (error.level === 'client-authentication') return `${target.user}@${target.address}: Permission denied (${auth.allowed.join(',') || authMethods(target).join(',') || 'none'}).`;
  if (error.level === 'client-timeout') {
    return auth.connected ? `Connection timed out during banner exchange\r\nConnection to ${target.address} port ${target.port} timed out` : `${connect}: Connection timed out`;
  }
  switch (error.code) {
    case 'ECONNREFUSED':
      return `${connect}: Connection refused`;
    case 'EHOSTUNREACH':
      return `${connect}: No route to host`;
    case 'ENETUNREACH':
      return `${connect}: Network is unreachable`;
    case 'ETIMEDOUT':
      return `${connect}: Connection timed out`;
    case 'ENOTFOUND':
      return `ssh: Could not resolve hostname ${target.address}: Name or service not known`;
    case 'EAI_AGAIN':
      return `ssh: Could not resolve hostname ${target.address}: Temporary failure in name resolution`;
    case 'ECONNRESET':
      return `kex_exchange_identification: read: Connection reset by peer\r\nConnection reset by ${target.address} port ${target.port}`;
    default:
      return error.message;
  }
}

/** The methods fleet tries, named as OpenSSH names them. */
function authMethods(target: SshTarget): string[] {
  const methods: string[] = [];
  if (target.privateKeyFile || target.useAgent) methods.push('publickey');
  if (target.password !== undefined) methods.push('password');
  return methods;
}
