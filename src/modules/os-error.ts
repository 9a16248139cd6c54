import { bytesRepr } from './system/python-text.js';

/** os.strerror, in Linux's words, of the errnos Linux and macOS number alike. */
export const STRERROR: Readonly<Record<number, string>> = {
  1: 'Operation not permitted',
  2: 'No such file or directory',
  5: 'Input/output error',
  8: 'Exec format error',
  13: 'Permission denied',
  16: 'Device or resource busy',
  17: 'File exists',
  20: 'Not a directory',
  21: 'Is a directory',
  22: 'Invalid argument',
  28: 'No space left on device',
  30: 'Read-only file system',
};

const ERRNO_OF: ReadonlyMap<string, number> = new Map([
  ...Object.entries(STRERROR).map(([errno, text]): [string, number] => [text, Number(errno)]),
  // macOS words this one differently
  ['Resource busy', 16],
]);

/**
 * str() of the OSError a Python call on `path` raised, from the strerror a tool printed (in the
 * C locale) for the same failure: "[Errno 1] Operation not permitted: b'/path'". A strerror
 * this table lacks keeps its words without a number fleet would have to guess.
 */
export function osErrorText(strerror: string, path: string): string {
  const errno = ERRNO_OF.get(strerror);
  return `${errno === undefined ? '' : `[Errno ${errno}] `}${strerror}: ${bytesRepr(path)}`;
}
