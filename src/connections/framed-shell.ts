import { randomBytes, randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ConnectionError } from '../errors.js';
import { EndMarkerScanner, newEndToken, type FramedOutput } from './end-marker.js';
import { RemoteFileError } from './remote-file-error.js';
import {
  KILL_DESCENDANTS,
  SHELL_PRELUDE,
  renderGet,
  renderPut,
  renderRun,
  renderShellPid,
} from './shell-scripts.js';
import { ShellLibraries } from './shell-libraries.js';
import type { Connection, ExecOptions, ExecResult } from './types.js';

/** What a transport (an ssh2 channel, a local child process) provides to a framed shell. */
export interface ShellTransport {
  /** Connected to a freshly started, long-lived `sh`. */
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Runs `sh -c script sh ...args` beside the long-lived shell and resolves when it exits. */
  runSide(script: string, args: string[]): Promise<void>;
  /** Ends the shell and releases the transport. */
  close(): Promise<void>;
  /** Settles, with the reason, when the shell or the connection under it goes away. */
  lost: Promise<string>;
}

interface BytesResult {
  rc: number;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
}

/** After a timed-out command is killed, how long its marker may take before the shell is given up. */
const KILL_GRACE_MS = 10_000;
const STARTUP_TIMEOUT_MS = 30_000;

/** randomUUID draws from a pooled buffer: no getrandom call per command (122 random bits). */
const newFrameToken = (): string => newEndToken(randomUUID().replace(/-/g, ''));

/** One command in flight: both streams must reach their end marker. */
class Frame {
  readonly stdout: EndMarkerScanner;
  readonly stderr: EndMarkerScanner;
  readonly completed: Promise<{ rc: number; stdout: Buffer; stderr: Buffer }>;
  private settle!: (value: { rc: number; stdout: Buffer; stderr: Buffer }) => void;
  fail!: (error: Error) => void;

  constructor(readonly token: string) {
    this.stdout = new EndMarkerScanner(token);
    this.stderr = new EndMarkerScanner(token);
    this.completed = new Promise((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
  }

  get done(): boolean {
    return this.stdout.result !== undefined && this.stderr.result !== undefined;
  }

  checkDone(): void {
    const out: FramedOutput | undefined = this.stdout.result;
    const err: FramedOutput | undefined = this.stderr.result;
    if (out && err) this.settle({ rc: out.rc, stdout: out.output, stderr: err.output });
  }
}

/**
 * A Connection over one long-lived POSIX shell: each command is framed (see shell-scripts.ts),
 * commands run one at a time in call order, and a dead transport fails the commands in flight
 * and every later one with a ConnectionError.
 *
 * Commands without a timeout are pipelined: each is written as soon as it is called, and the
 * shell, which reads one command line at a time (every command's stdin is /dev/null), runs
 * them in order while their answers stream back; callers that do not wait for one answer
 * before the next call (a loop's items) pay one round trip for all. A command with a timeout
 * waits until everything before it has answered, so only it can be running when its timer
 * kills the shell's children, and commands called after it wait for it.
 */
export class FramedShell implements Connection {
  /** Settles when every command called so far has answered. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Commands waiting behind a timed one (or being it): while any do, new calls queue too. */
  private queued = 0;
  /** Written to the shell and not yet fully answered, in the order they run. */
  private readonly inFlight: Frame[] = [];
  private failure?: ConnectionError;
  private shellPid = 0;
  /** Settles once the shell's pid is known or the shell failed to start. */
  private started: Promise<void> = Promise.resolve();
  private readonly libraries = new ShellLibraries();

  private constructor(
    readonly host: string,
    private readonly transport: ShellTransport,
  ) {
    transport.stdout.on('data', (chunk: Buffer) => this.receive('stdout', chunk));
    transport.stderr.on('data', (chunk: Buffer) => this.receive('stderr', chunk));
    void transport.lost.then((reason) => this.fail(new ConnectionError(reason)));
    transport.stdin.on('error', (error: Error) =>
      this.fail(new ConnectionError(`${host}: cannot write to the remote shell: ${error.message}`, { cause: error })),
    );
  }

  /**
   * Starts framing a fresh shell and returns at once: the shell's first answer, its pid (which
   * the killer of a timed-out command needs), comes back behind the caller's first commands,
   * which are sent without waiting for it, so they all cost one round trip. When that answer
   * does not come in time or holds no pid, every command in flight fails with the reason, and
   * the transport is closed.
   */
  static start(host: string, transport: ShellTransport): FramedShell {
    const shell = new FramedShell(host, transport);
    const startup = new Frame(newFrameToken());
    shell.inFlight.push(startup);
    shell.tail = startup.completed.catch(() => undefined);
    transport.stdin.write(SHELL_PRELUDE + renderShellPid(startup.token));
    const timer = setTimeout(
      () => shell.fail(new ConnectionError(`${host}: the remote shell did not answer within ${STARTUP_TIMEOUT_MS} ms`)),
      STARTUP_TIMEOUT_MS,
    );
    shell.started = startup.completed
      .then((answer) => {
        // Anything a login script printed comes before the pid.
        const pid = /(\d+)\s*$/.exec(answer.stdout.toString('latin1'));
        if (answer.rc !== 0 || !pid) throw new ConnectionError(`${host}: the remote shell is not a working POSIX sh: ${answer.stderr.toString().trim()}`);
        shell.shellPid = Number(pid[1]);
      })
      .catch((error: ConnectionError) => {
        shell.fail(error);
        return transport.close();
      })
      .catch(() => undefined)
      .finally(() => clearTimeout(timer));
    return shell;
  }

  async exec(script: string, options: ExecOptions = {}): Promise<ExecResult> {
    const result = await this.execBytes(script, options);
    const text: ExecResult = { rc: result.rc, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
    if (result.timedOut) text.timedOut = true;
    return text;
  }

  async get(remotePath: string): Promise<Buffer> {
    const result = await this.execBytes(renderGet(remotePath), {});
    if (result.rc !== 0) throw RemoteFileError.from(this.host, 'read', remotePath, result);
    return result.stdout;
  }

  async put(content: Buffer, remotePath: string, mode?: number): Promise<void> {
    const tempName = `.${posix.basename(remotePath)}.fleet-${randomBytes(6).toString('hex')}.tmp`;
    const script = renderPut({
      contentBase64: content.toString('base64'),
      remotePath,
      tempPath: posix.join(posix.dirname(remotePath), tempName),
      mode,
    });
    const result = await this.execBytes(script, {});
    if (result.rc !== 0) throw RemoteFileError.from(this.host, 'write', remotePath, result);
  }

  async close(): Promise<void> {
    // Closing with a command still running (an interrupted run): stop it, or it outlives us;
    // with pipelined commands queued behind it, stop the shell too, or it goes on to run them.
    if (this.inFlight.length > 0 && !this.failure) await this.killRunningCommand(this.inFlight.length > 1);
    if (!this.failure) this.failure = new ConnectionError(`${this.host}: connection is closed`);
    await this.transport.close();
  }

  /** Called by the transport when it dies; fails the command in flight and all later ones. */
  fail(error: ConnectionError): void {
    if (this.failure) return;
    this.failure = error;
    for (const frame of this.inFlight.splice(0)) frame.fail(error);
  }

  private execBytes(script: string, options: ExecOptions): Promise<BytesResult> {
    if (options.timeoutMs === undefined && this.queued === 0) {
      const run = this.write(script, options).completed.then((result) => ({ ...result, timedOut: false }));
      this.tail = Promise.all([this.tail, run.catch(() => undefined)]);
      return run;
    }
    this.queued += 1;
    const run = this.tail.then(() => this.runAlone(script, options)).finally(() => (this.queued -= 1));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Sends one command line to the shell; its frame answers when both streams reach its marker. */
  private write(script: string, options: ExecOptions): Frame {
    const frame = new Frame(newFrameToken());
    if (this.failure) {
      frame.fail(this.failure);
      return frame;
    }
    const prepared = this.libraries.prepare(script, options.libraries ?? []);
    this.inFlight.push(frame);
    this.transport.stdin.write(prepared.definitions + renderRun(frame.token, prepared.script));
    return frame;
  }

  /** A command run with nothing else in flight, so that a timeout can kill just it. */
  private async runAlone(script: string, options: ExecOptions): Promise<BytesResult> {
    if (this.failure) throw this.failure;
    let killing: Promise<void> | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const timeoutTimer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            killing = this.killRunningCommand().finally(() => {
              graceTimer = setTimeout(
                () => this.fail(new ConnectionError(`${this.host}: a timed-out command could not be stopped`)),
                KILL_GRACE_MS,
              );
            });
          }, options.timeoutMs);
    try {
      const result = await this.write(script, options).completed;
      return { ...result, timedOut: killing !== undefined };
    } finally {
      clearTimeout(timeoutTimer);
      // The next command must not start while the killer may still be looking for processes.
      if (killing) await killing;
      clearTimeout(graceTimer);
    }
  }

  private async killRunningCommand(shellToo = false): Promise<void> {
    // Closed while starting: the killer needs the shell's pid (without one it would look for
    // the descendants of pid 0, every process); a shell that never told it is closed anyway.
    await this.started;
    if (this.shellPid === 0) return;
    try {
      await this.transport.runSide(KILL_DESCENDANTS, [String(this.shellPid), shellToo ? 'shell-too' : '']);
    } catch (error) {
      this.fail(new ConnectionError(`${this.host}: cannot kill a timed-out command: ${String(error)}`, { cause: error }));
    }
  }

  /** Hands a stream's bytes to the oldest command still reading that stream, then the next. */
  private receive(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    let data = chunk;
    while (data.length > 0) {
      const frame = this.inFlight.find((each) => each[stream].result === undefined);
      // Bytes after the last marker can only come from a background process a command left behind.
      if (!frame) return;
      data = frame[stream].push(data);
      if (frame.done) {
        this.inFlight.splice(this.inFlight.indexOf(frame), 1);
        frame.checkDone();
      }
    }
  }
}
