import { createHash } from 'node:crypto';
import { shQuote } from './shell-scripts.js';

/** Library texts are a handful of constants sent with nearly every command: hash each once per process. */
const MAX_NAMES = 1000;
const namesByText = new Map<string, string>();

function libraryName(text: string): string {
  let name = namesByText.get(text);
  if (name === undefined) {
    name = `__fleet_lib_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (namesByText.size >= MAX_NAMES) namesByText.clear();
    namesByText.set(text, name);
  }
  return name;
}

/**
 * The libraries (shell definitions) a long-lived shell already holds. Each is kept there as
 * a function named after its digest, parsed once per connection; a script calls that
 * function to define the library's functions inside its own subshell, so every script sees
 * exactly its own libraries, as if they were sent with it, without sending them again.
 */
export class ShellLibraries {
  private readonly defined = new Set<string>();

  /** `script` with calls to its libraries in front, and the definitions the shell still lacks. */
  prepare(script: string, libraries: readonly string[]): { definitions: string; script: string } {
    let definitions = '';
    let calls = '';
    for (const text of libraries) {
      const name = libraryName(text);
      if (!this.defined.has(name)) {
        this.defined.add(name);
        definitions += `__fleet_define ${name} ${shQuote(text)}\n`;
      }
      // Defined functions end in `:`, so only a library that failed to parse fails here.
      calls += `${name} || exit 127\n`;
    }
    return { definitions, script: calls + script };
  }
}
