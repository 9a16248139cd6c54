import { chmodSync, chownSync, closeSync, existsSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { VaultError } from './errors.js';

/** `-` is stdin/stdout, as for ansible-vault. */
export const STDIO = '-';

/** VaultEditor.read_data: a file's bytes, or stdin's for `-`. */
export function readData(file: string): Buffer {
  try {
    return readFileSync(file === STDIO ? 0 : file);
  } catch (error) {
    throw new VaultError(`Unable to read source file (${file}): ${(error as Error).message}`);
  }
}

/**
 * VaultEditor.write_data: stdout for `-`; otherwise the old file is removed and a new one
 * is created with mode 0600 (encrypt and decrypt both leave the file private).
 */
export function writeData(data: Buffer | string, file: string, write: (data: Buffer) => void): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (file === STDIO) {
    write(bytes);
    return;
  }
  if (existsSync(file) && statSync(file).isFile()) rmSync(file);
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    throw new VaultError(`Problem creating temporary vault file: ${(error as Error).message}`);
  }
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `file` keeping the file's mode and owner (rekey, edit). */
export function replaceKeepingMode(data: string, file: string, scratch: string): void {
  const previous = statSync(file);
  writeData(data, scratch, () => {});
  renameSync(scratch, file);
  chmodSync(file, previous.mode & 0o7777);
  chownSync(file, previous.uid, previous.gid);
}

/** VaultEditor._real_path. */
export function realPath(file: string): string {
  if (file === STDIO) return file;
  return existsSync(file) ? realpathSync(file) : resolve(file);
}
