import { accessSync, constants, existsSync, openSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';

/**
 * Ansible's log_path file (utils/display.py): every message Display shows, except the
 * screen-only ones, as one record of Python logging's
 * `%(asctime)s p=%(process)d u=%(user)s n=%(name)s | %(message)s`.
 */
/** The run's log once opened: Ansible's logger is one per process, and fatal errors reach it from the CLI's last catch. */
let opened: DisplayLog | null = null;

export function currentDisplayLog(): DisplayLog | null {
  return opened;
}

export class DisplayLog {
  private constructor(
    private readonly fd: number,
    private readonly user: string,
  ) {}

  /**
   * The log, or null with Ansible's warning (printed as is, not through Display) when the
   * file is not writable and cannot be created.
   */
  static open(path: string, env: NodeJS.ProcessEnv, warn: (text: string) => void): DisplayLog | null {
    if (!(existsSync(path) && writable(path)) && !writable(dirname(path))) {
      warn(`[WARNING]: log file at ${path} is not writeable and we cannot create it, aborting\n\n`);
      return null;
    }
    try {
      opened = new DisplayLog(openSync(path, 'a'), loginName(env));
      return opened;
    } catch {
      warn(`[WARNING]: log file at ${path} is not writeable and we cannot create it, aborting\n\n`);
      return null;
    }
  }

  /** One record: Display.display logs the message without its leading newlines. */
  record(message: string): void {
    writeSync(this.fd, `${asctime(new Date())} p=${process.pid} u=${this.user} n=ansible | ${message.replace(/^\n+/, '')}\n`);
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** getpass.getuser: the first of LOGNAME, USER, LNAME, USERNAME that is set, else the password database's name. */
function loginName(env: NodeJS.ProcessEnv): string {
  for (const name of ['LOGNAME', 'USER', 'LNAME', 'USERNAME']) {
    const value = env[name];
    if (value) return value;
  }
  return userInfo().username;
}

/** logging.Formatter's default asctime: local time, `YYYY-MM-DD HH:MM:SS,mmm`. */
function asctime(now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  return `${date} ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())},${String(now.getMilliseconds()).padStart(3, '0')}`;
}
