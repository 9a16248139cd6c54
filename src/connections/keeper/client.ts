import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { warnOnStderr } from '../../cli/warn.js';
import { ConnectionError } from '../../errors.js';
import { FramedShell, type ShellTransport } from '../framed-shell.js';
import { shQuote } from '../shell-scripts.js';
import { connectSsh, lostReason } from '../ssh.js';
import type { Connection, SshTarget } from '../types.js';
import { answers, connectTo, keeperSocketPath, runsAsFleet, startKeeper } from './place.js';
import { FRAME, FrameReader, LineReader, PROTOCOL_VERSION, type ChannelClosed, type KeeperAnswer, type KeeperRequest } from './protocol.js';

/** How long a run waits for a keeper it started to listen (node's start-up, a few hundred ms on a busy machine). */
const KEEPER_START_WAIT_MS = 3_000;
const KEEPER_POLL_MS = 20;
/** As connectSsh waits for the remote shell to exit when a run ends. */
const SHELL_EXIT_WAIT_MS = 2_000;
/** Beyond the logins a keeper's answer may wait on: a busy machine's keeper, opening many at once. */
const KEEPER_ANSWER_MARGIN_MS = 5_000;

/**
 * A connection to `target` that outlives the run by `persistSeconds` (0: until it breaks), as
 * OpenSSH's ControlPersist keeps Ansible's: through the connection keeper, started when none
 * runs. Without persistence, a password login (the keeper would have to hold the password),
 * fleet's modules imported by another program, or no keeper to be had, a direct connection.
 */
export async function connectSshPersistent(target: SshTarget, persistSeconds: number | undefined): Promise<Connection> {
  if (persistSeconds === undefined || target.password !== undefined || !runsAsFleet() || keeperHung) return connectSsh(target);
  const socket = await keeperSocket();
  if (!socket) return connectSsh(target);
  const request: KeeperRequest = { v: PROTOCOL_VERSION, op: 'shell', target, persistSeconds };
  let channel: KeptChannel;
  try {
    channel = await openChannel(socket, request);
  } catch (error) {
    // The host's own refusal stands; a keeper that went away mid-request leaves the run to log in itself.
    if (error instanceof KeeperGone) return connectSsh(target);
    throw error;
  }
  return FramedShell.start(target.host, channelTransport(target, channel, persistSeconds));
}

/** The keeper closed, answered what no keeper says, or did not answer in time, before a channel was open. */
class KeeperGone extends Error {}

/**
 * Set when a keeper took longer to answer than the logins it could be waiting on allow: it is
 * hung (stopped, or stuck in a loop), and the rest of the run logs in itself.
 */
let keeperHung = false;

/** reset_connection: the next connection to `target` logs in anew (ssh -O stop). */
export async function forgetPersistent(target: SshTarget): Promise<void> {
  const path = runsAsFleet() && !keeperHung ? keeperSocketPath() : undefined;
  if (!path) return;
  const socket = await connectTo(path).catch(() => undefined);
  if (!socket) return;
  await answerOf(socket, { v: PROTOCOL_VERSION, op: 'forget', target }).catch(() => undefined);
  socket.destroy();
}

let keeperStart: Promise<boolean> | undefined;

/** A socket connected to the keeper, starting one (once per run) when none answers. */
async function keeperSocket(): Promise<Socket | undefined> {
  const path = keeperSocketPath();
  if (!path) return undefined;
  const first = await connectTo(path).catch(() => undefined);
  if (first) return first;
  keeperStart ??= waitForKeeper(path);
  if (!(await keeperStart)) return undefined;
  return connectTo(path).catch(() => undefined);
}

async function waitForKeeper(path: string): Promise<boolean> {
  if (!startKeeper(path)) return false;
  for (let waited = 0; waited < KEEPER_START_WAIT_MS; waited += KEEPER_POLL_MS) {
    await sleep(KEEPER_POLL_MS);
    if (await answers(path)) return true;
  }
  return false;
}

/**
 * Sends the request and reads the keeper's answer line; bytes after it go to `rest`. A keeper
 * that does not answer within every hop's connect timeout and a margin is taken for hung.
 */
function answerOf(socket: Socket, request: KeeperRequest, rest?: (chunk: Buffer) => void): Promise<KeeperAnswer> {
  return new Promise((resolve, reject) => {
    const gone = () => reject(new KeeperGone(`${request.target.host}: the connection keeper closed without answering`));
    const deadline = answerDeadlineMs(request.target);
    const timer = setTimeout(() => {
      socket.removeListener('close', gone);
      socket.destroy();
      if (!keeperHung) {
        keeperHung = true;
        warnOnStderr(`the connection keeper (${keeperSocketPath() ?? 'its socket'}) did not answer within ${deadline / 1000} s; this run logs in to its hosts itself`);
      }
      reject(new KeeperGone(`${request.target.host}: the connection keeper did not answer`));
    }, deadline);
    const reader = new LineReader((line) => {
      clearTimeout(timer);
      socket.removeListener('close', gone);
      try {
        resolve(JSON.parse(line) as KeeperAnswer);
      } catch {
        reject(new KeeperGone(`${request.target.host}: the connection keeper answered ${JSON.stringify(line)}`));
      }
    });
    if (rest) reader.follow(rest);
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.once('close', () => clearTimeout(timer));
    socket.once('close', gone);
    socket.write(`${JSON.stringify(request)}\n`);
  });
}

/** The longest a keeper's answer may take: its login through every hop, each within its connect timeout. */
function answerDeadlineMs(target: SshTarget): number {
  let deadline = KEEPER_ANSWER_MARGIN_MS;
  for (let hop: SshTarget | undefined = target; hop; hop = hop.proxyJump) deadline += hop.connectTimeoutMs;
  return deadline;
}

/** A channel's frames, split out as they come. */
interface KeptChannel {
  socket: Socket;
  stdout: PassThrough;
  stderr: PassThrough;
  exited: Promise<void>;
  /** Settles with how the channel closed; a keeper gone without saying counts as a lost connection. */
  closed: Promise<ChannelClosed>;
}

async function openChannel(socket: Socket, request: KeeperRequest): Promise<KeptChannel> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let exit!: () => void;
  let close!: (closed: ChannelClosed) => void;
  const exited = new Promise<void>((resolve) => (exit = resolve));
  const closed = new Promise<ChannelClosed>((resolve) => (close = resolve));
  const frames = new FrameReader((type, payload) => {
    if (type === FRAME.stdout) stdout.write(payload);
    else if (type === FRAME.stderr) stderr.write(payload);
    else if (type === FRAME.exit) exit();
    else if (type === FRAME.closed) close(JSON.parse(payload.toString('utf8')) as ChannelClosed);
  });
  socket.on('error', () => undefined);
  socket.once('close', () => {
    exit();
    close({ connectionGone: true, error: 'the connection keeper ended' });
  });
  const answer = await answerOf(socket, request, (chunk) => frames.push(chunk));
  if (!answer.ok) {
    socket.destroy();
    throw new ConnectionError(answer.message);
  }
  return { socket, stdout, stderr, exited, closed };
}

function channelTransport(target: SshTarget, channel: KeptChannel, persistSeconds: number): ShellTransport {
  return {
    stdin: channel.socket,
    stdout: channel.stdout,
    stderr: channel.stderr,
    runSide: async (script, args) => {
      const socket = await keeperSocket();
      if (!socket) throw new ConnectionError(`${target.host}: the connection keeper is gone`);
      const command = `/bin/sh -c ${shQuote(script)} sh ${args.map(shQuote).join(' ')}`;
      const side = await openChannel(socket, { v: PROTOCOL_VERSION, op: 'side', target, persistSeconds, command });
      side.stdout.resume();
      side.stderr.resume();
      // Its exit status, not its close: the keeper's close waits a moment to tell a dropped connection from an ended channel.
      await side.exited;
      side.socket.destroy();
    },
    close: async () => {
      channel.socket.end();
      await Promise.race([channel.exited, sleep(SHELL_EXIT_WAIT_MS, undefined, { ref: false })]);
      channel.socket.destroy();
    },
    lost: channel.closed.then((closed) => lostReason(target, closed.connectionGone, closed.error)),
  };
}
