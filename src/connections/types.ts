export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
  /** Set when `timeoutMs` elapsed and the command (with its children) was killed. */
  timedOut?: boolean;
}

export interface ExecOptions {
  /**
   * Counted from when the command starts (not while it waits behind earlier commands on the
   * same connection); on timeout the remote command and every process it started are killed.
   */
  timeoutMs?: number;
  /**
   * Shell definitions the script calls (functions and their default variables): the
   * connection sends each once and makes it defined for every script that names it.
   */
  libraries?: readonly string[];
}

export interface Connection {
  readonly host: string;
  /**
   * Runs a POSIX sh script in the host's long-lived shell; one round trip; never lets the
   * script disturb the shell (exit, cd, set -e, reading stdin).
   */
  exec(script: string, options?: ExecOptions): Promise<ExecResult>;
  /** Writes bytes to a remote path through the same shell (no sftp), atomically (temp file in the same dir + rename). */
  put(content: Buffer, remotePath: string, mode?: number): Promise<void>;
  get(remotePath: string): Promise<Buffer>;
  close(): Promise<void>;
}

export type HostKeyChecking = 'strict' | 'accept-new' | 'off';

export interface SshTarget {
  /** Inventory name, used in messages. */
  host: string;
  address: string;
  port: number;
  user: string;
  privateKeyFile?: string;
  password?: string;
  useAgent?: boolean;
  /** The ssh-agent socket (SSH_AUTH_SOCK) of the run that wants the connection; else this process's. */
  agentSocket?: string;
  knownHostsFile: string;
  hostKeyChecking: HostKeyChecking;
  connectTimeoutMs: number;
  /** ssh's ServerAliveInterval (ms) and ServerAliveCountMax: how soon a host that went silent is given up. */
  serverAlive?: { intervalMs: number; countMax: number };
  proxyJump?: SshTarget;
}
