import { readdirSync, readFileSync, statSync } from 'node:fs';
import { compilePyRegex, search, type PyRegex } from '../../template/filters/pyregex.js';
import { unvaultBytes } from '../../vault/context.js';

/** Which fragments of a directory listing assemble takes, and how it sorts them. */
export interface FragmentChoice {
  regexp: PyRegex | null;
  ignoreHidden: boolean;
}

export function compileFragmentRegexp(regexp: string | null): PyRegex | null {
  return regexp === null ? null : compilePyRegex(regexp);
}

/** Python's `sorted()` of str names (code point order, which UTF-8 byte order equals). */
export function sortedNames(names: readonly string[]): string[] {
  return [...names].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

/** The names assemble considers, in order; whether each is a regular file is checked where it lives. */
export function chosenNames(names: readonly string[], choice: FragmentChoice): string[] {
  return sortedNames(names).filter((name) => (choice.regexp === null || search(choice.regexp, name) !== null) && !(choice.ignoreHidden && name.startsWith('.')));
}

/**
 * Joins fragments as `_assemble_from_fragments` does: a newline after a fragment that lacks
 * one, the n-th delimiter between fragments, then a newline after it. The action plugin
 * compares `delimiter[-1]` (an int) with b'\n', which is never equal, so on the controller
 * the newline always follows (`newlineAfterAnyDelimiter`); the module checks the last byte.
 */
export function joinFragments(fragments: readonly Buffer[], delimiters: readonly Buffer[], newlineAfterAnyDelimiter: boolean): Buffer {
  const parts: Buffer[] = [];
  let addNewline = false;
  fragments.forEach((fragment, index) => {
    if (addNewline) parts.push(Buffer.from('\n'));
    if (index > 0) parts.push(delimiterBytes(delimiters, index, newlineAfterAnyDelimiter));
    parts.push(fragment);
    addNewline = !fragment.toString('latin1').endsWith('\n');
  });
  return Buffer.concat(parts);
}

/** What is written before fragment number `index` (1-based count of earlier fragments). */
export function delimiterBytes(delimiters: readonly Buffer[], index: number, newlineAfterAnyDelimiter: boolean): Buffer {
  const delimiter = delimiters[Math.min(index, delimiters.length) - 1];
  if (delimiter === undefined || delimiter.length === 0) return Buffer.alloc(0);
  const needsNewline = newlineAfterAnyDelimiter || delimiter[delimiter.length - 1] !== 0x0a;
  return needsNewline ? Buffer.concat([delimiter, Buffer.from('\n')]) : delimiter;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The action plugin's assembly of a controller directory (vault-encrypted fragments decrypted when asked). */
export function assembleOnController(dir: string, choice: FragmentChoice, delimiters: readonly Buffer[], decrypt: boolean): Buffer {
  const fragments = chosenNames(readdirSync(dir), choice)
    .map((name) => `${dir}/${name}`)
    .filter(isFile)
    .map((path) => {
      const raw = readFileSync(path);
      return decrypt ? unvaultBytes(raw, path) : raw;
    });
  return joinFragments(fragments, delimiters, true);
}
