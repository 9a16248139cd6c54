import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { VaultError } from './errors.js';

/**
 * Reads one line without echoing it, as getpass does: the prompt goes to stderr, and
 * what is typed is not written back. End of input before a line is an error.
 */
export function askHidden(prompt: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  output.write(prompt);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input, output: muted, terminal: (input as { isTTY?: boolean }).isTTY === true });
  return new Promise((resolvePromise, reject) => {
    let answered = false;
    reader.once('line', (line) => {
      answered = true;
      output.write('\n');
      reader.close();
      resolvePromise(line);
    });
    reader.once('close', () => {
      if (!answered) reject(new VaultError('EOFError (ctrl-d) on the vault password prompt'));
    });
  });
}
