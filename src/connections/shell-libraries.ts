import { createHash } from 'node:crypto';
import { shQuote } from './shell-scripts.js';

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
      const name = `__fleet_lib_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
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
