import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { ReadStream, WriteStream } from 'node:tty';
import { VaultError } from './errors.js';

/**
 * Python's getpass, as ansible asks for vault and become passwords: on the controlling
 * terminal when there is one (so stdin stays free for what is being encrypted), without echo;
 * otherwise a line of stdin, the prompt on stderr. `what` names the password in errors.
 */
export async function askHidden(prompt: string, what = 'vault password'): Promise<string> {
  const terminal = openTerminal();
  if (!terminal) return readStdinLine(prompt, what);
  try {
    return await readHiddenLine(prompt, what, terminal.input, terminal.output);
  } finally {
    terminal.input.destroy();
    terminal.output.destroy();
  }
}

function openTerminal(): { input: ReadStream; output: WriteStream } | undefined {
  let readFd: number | undefined;
  try {
    readFd = openSync('/dev/tty', 'r');
    return { input: new ReadStream(readFd), output: new WriteStream(openSync('/dev/tty', 'w')) };
  } catch {
    if (readFd !== undefined) closeSync(readFd);
    return undefined;
  }
}

/** Raw mode, so nothing typed is echoed: Enter ends the line, Backspace edits it, Ctrl-C/Ctrl-D give up. */
function readHiddenLine(prompt: string, what: string, input: ReadStream, output: WriteStream): Promise<string> {
  // Echo goes off before the prompt shows, as getpass does: what is typed at once is never echoed.
  input.setRawMode(true);
  output.write(prompt);
  return new Promise((resolvePromise, reject) => {
    let line = '';
    const finish = (error?: VaultError) => {
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolvePromise(line);
    };
    input.on('data', (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new VaultError(`interrupted at the ${what} prompt`));
        if (ch === '\u0004') return finish(line === '' ? new PromptEndOfFile(what) : undefined);
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else line += ch;
      }
    });
  });
}

/** getpass's EOFError: ansible-vault stops on it, ansible-playbook goes on without the password (CLI.ask_passwords). */
export class PromptEndOfFile extends VaultError {
  constructor(what: string) {
    super(`EOFError (ctrl-d) on the ${what} prompt`);
  }
}

function readStdinLine(prompt: string, what: string): Promise<string> {
  process.stderr.write(prompt);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: process.stdin, output: muted, terminal: false });
  return new Promise((resolvePromise, reject) => {
    let answered = false;
    reader.once('line', (line) => {
      answered = true;
      process.stderr.write('\n');
      reader.close();
      resolvePromise(line);
    });
    reader.once('close', () => {
      if (!answered) reject(new PromptEndOfFile(what));
    });
  });
}
