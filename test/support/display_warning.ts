import { execFileSync } from 'node:child_process';

/** A warning as ansible's Display.warning prints it without a terminal: Python's textwrap.wrap at 79 columns. */
export function displayWarning(message: string): string {
  const script = 'import sys, textwrap; print("\\n".join(textwrap.wrap(sys.argv[1], 79)))';
  return execFileSync('/usr/bin/python3', ['-c', script, `[WARNING]: ${message}`], { encoding: 'utf8' });
}
