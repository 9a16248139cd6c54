import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { FleetError } from '../errors.js';
import { strRepr } from '../template/python/str_repr.js';
import { isExecutableFile, trimBytes } from '../vault/sources.js';

/**
 * CLI.get_password_from_file, which reads --become-password-file and --connection-password-file:
 * `-` is standard input, an executable file is run and its output is the password, any other
 * file's stripped content is. Unlike a vault password script, the script's stderr is kept for
 * the error, and the script gets no arguments.
 */
export function passwordFromFile(given: string): string {
  const path = unfrackPath(given);
  let secret: Buffer;
  if (path === '-') secret = readFileSync(0);
  else if (!existsSync(path)) throw new FleetError(`The password file ${path} was not found`);
  else if (isExecutableFile(path)) secret = runPasswordScript(path);
  else {
    try {
      secret = trimBytes(readFileSync(path), ' \t\n\r\f\v');
    } catch (error) {
      throw new FleetError(`Could not read password file ${path}: ${(error as Error).message}`);
    }
  }
  const password = trimBytes(secret, '\r\n');
  if (password.length === 0) throw new FleetError(`Empty password was provided from file (${path})`);
  return password.toString('utf8');
}

function runPasswordScript(path: string): Buffer {
  const run = spawnSync(path, [], { stdio: ['inherit', 'pipe', 'pipe'] });
  if (run.error) throw new FleetError(`Problem occured when trying to run the password script ${path} (${run.error.message}). If this is not a script, remove the executable bit from the file.`);
  if (run.status !== 0) throw new FleetError(`The password script ${path} returned an error (rc=${run.status ?? run.signal}): ${bytesRepr(run.stderr)}`);
  return run.stdout;
}

/** Python's repr of bytes, which Ansible's message shows the script's stderr as. */
function bytesRepr(data: Buffer): string {
  return `b${strRepr(data.toString('latin1'), true)}`;
}

/** The option's unfrack_path: `-` as it is, any other path absolute with its links resolved, as the errors name it. */
function unfrackPath(given: string): string {
  if (given === '-') return given;
  const path = resolve(given === '~' || given.startsWith('~/') ? join(homedir(), given.slice(1)) : given);
  return existsSync(path) ? realpathSync(path) : path;
}
