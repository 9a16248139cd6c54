import { randomBytes, randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ConnectionError } from '../errors.js';
import { EndMarkerScanner, newEndToken, type FramedOutput } from './end-marker.js';
import { RemoteFileError } from './remote-file-error.js';
import {
  KILL_DESCENDANTS,
  PRINT_SHELL_PID,
  SHELL_PRELUDE,
  renderGet,
  renderPut,
  renderRun,
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
 * commands run one at a time in call order, and a dead transport fails the command in flight
 * and every later one with a ConnectionError.
 */
export class FramedShell implements Connection {
  private queue: Promise<unknown> = Promise.resolve();
  private current?: Frame;
  private failure?: ConnectionError;
  private shellPid = 0;
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

  static async start(host: string, transport: ShellTransport): Promise<FramedShell> {
    const shell = new FramedShell(host, transport);
    transport.stdin.write(SHELL_PRELUDE);
    const startup = shell.runFramed(PRINT_SHELL_PID, {});
    const timer = setTimeout(
      () => shell.fail(new ConnectionError(`${host}: the remote shell did not answer within ${STARTUP_TIMEOUT_MS} ms`)),
      STARTUP_TIMEOUT_MS,
    );
    try {
      const answer = await startup;
      // Anything a login script printed comes before the pid.
      const pid = /(\d+)\s*$/.exec(answer.stdout.toString('latin1'));
      if (answer.rc !== 0 || !pid) {
        throw new ConnectionError(`${host}: the remote shell is not a working POSIX sh: ${answer.stderr.toString().trim()}`);
      }
      shell.shellPid = Number(pid[1]);
      return shell;
    } catch (error) {
      await transport.close().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
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
    // Closing with a command still running (an interrupted run): stop it, or it outlives us.
    if (this.current && !this.failure) await this.killRunningCommand();
    if (!this.failure) this.failure = new ConnectionError(`${this.host}: connection is closed`);
    await this.transport.close();
  }

  /** Called by the transport when it dies; fails the command in flight and all later ones. */
  fail(error: ConnectionError): void {
    if (this.failure) return;
    this.failure = error;
    this.current?.fail(error);
  }

  private execBytes(script: string, options: ExecOptions): Promise<BytesResult> {
    const run = this.queue.then(() => this.runFramed(script, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runFramed(script: string, options: ExecOptions): Promise<BytesResult> {
    if (this.failure) throw this.failure;
    // randomUUID draws from a pooled buffer: no getrandom call per command (122 random bits).
    const frame = new Frame(newEndToken(randomUUID().replace(/-/g, '')));
    this.current = frame;
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
      const prepared = this.libraries.prepare(script, options.libraries ?? []);
      this.transport.stdin.write(prepared.definitions + renderRun(frame.token, prepared.script));
      const result = await frame.completed;
      return { ...result, timedOut: killing !== undefined };
    } finally {
      clearTimeout(timeoutTimer);
      // The next command must not start while the killer may still be looking for processes.
      if (killing) await killing;
      clearTimeout(graceTimer);
      this.current = undefined;
    }
  }

  private async killRunningCommand(): Promise<void> {
    try {
      await this.transport.runSide(KILL_DESCENDANTS, [String(this.shellPid)]);
    } catch (error) {
      this.fail(new ConnectionError(`${this.host}: cannot kill a timed-out command: ${String(error)}`, { cause: error }));
    }
  }

  private receive(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    const frame = this.current;
    if (!frame || frame.done) return;
    frame[stream].push(chunk);
    frame.checkDone();
  }
}
