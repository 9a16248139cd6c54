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
 * C locale) for the same failure: "[Errno 1] Operation not permitted: b'/path'" (`repr`: how
 * the call was given the path; a str path reads '/path'). A strerror this table lacks keeps
 * its words without a number fleet would have to guess.
 */
export function osErrorText(said: string, path: string, repr: (path: string) => string = bytesRepr): string {
  const strerror = SHELL_WORDS[said] ?? said;
  const errno = ERRNO_OF.get(strerror);
  return `${errno === undefined ? '' : `[Errno ${errno}] `}${strerror}: ${repr(path)}`;
}

/** What dash says instead of the strerror when a redirection fails. */
const SHELL_WORDS: Readonly<Record<string, string>> = { 'Directory nonexistent': 'No such file or directory' };

// Python's OSError subclasses by errno (PEP 3151); the others raise OSError itself.
const OS_ERROR_CLASS: Readonly<Record<number, string>> = { 1: 'PermissionError', 2: 'FileNotFoundError', 13: 'PermissionError', 17: 'FileExistsError', 20: 'NotADirectoryError', 21: 'IsADirectoryError' };

/** The last line of the traceback of that OSError: its class, then its str(). */
export function osErrorLine(said: string, path: string, repr: (path: string) => string = bytesRepr): string {
  const errno = ERRNO_OF.get(SHELL_WORDS[said] ?? said);
  return `${(errno === undefined ? undefined : OS_ERROR_CLASS[errno]) ?? 'OSError'}: ${osErrorText(said, path, repr)}`;
}
