/**
 * Generators of values an attacker or an unlucky operator could put in a playbook: shell
 * metacharacters, quotes, command substitutions, newlines, leading dashes, globs, non-ASCII.
 * Each fragment that would run a command touches the canary path, so "never executed" is a
 * file that must not appear.
 */
import fc from 'fast-check';

/** Pieces that run `touch CANARY` if anything on the way evaluates them as shell. */
function injections(canary: string): string[] {
  return [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `; touch ${canary}`,
    `&& touch ${canary}`,
    `|| touch ${canary}`,
    `| touch ${canary}`,
    `\ntouch ${canary}\n`,
    `'; touch ${canary}; '`,
    `"; touch ${canary}; "`,
    `'$(touch ${canary})'`,
    `"$(touch ${canary})"`,
    `\\'$(touch ${canary})`,
    `$IFS;touch${'${IFS}'}${canary}`,
    `\nEOF\ntouch ${canary}\nEOF\n`,
    `> ${canary}`,
  ];
}

const FRAGMENTS = ['-rf', '--', '-n', '-e', '*', '?', '[a-z]', '~', '~root', '$HOME', '${PATH}', '$1', '$@', '!', '#', '%s', '%n', '\\', '\\n', '\t', ' ', '  ', '\r', 'é', 'ü', '日本語', '🙂', 'Ω', '\u00a0', '\u200b', '\\x41', '&', '<', '>', '(', ')', '"', "'", '`', ';', '|', '=', ',', ':', '@'];

/** One-character pieces whose meaning to a shell or a parser differs from their text. */
const hostileChar = fc.constantFrom(...'\'"$`;&|\n\\-*?[]~#!<>(){} \t%é日🙂'.split(/(?:)/u));

/**
 * A hostile string: concatenated injections, fragments, hostile characters and arbitrary
 * Unicode. Jinja2 delimiters are left out (a `{{` in a variable is templated by Ansible
 * too, which is not what these tests are about), and so are values Ansible's templating
 * turns into lists, dicts or booleans (`[…`, `{…`, `True`).
 */
export function hostileString(canary: string, options: { maxParts?: number; exclude?: RegExp } = {}): fc.Arbitrary<string> {
  const part = fc.oneof(
    { arbitrary: fc.constantFrom(...injections(canary)), weight: 3 },
    { arbitrary: fc.constantFrom(...FRAGMENTS), weight: 3 },
    { arbitrary: hostileChar, weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 6 }), weight: 1 },
  );
  return fc
    .array(part, { minLength: 1, maxLength: options.maxParts ?? 6 })
    .map((parts) => parts.join('').replace(/\0/g, ''))
    .map((value) => (options.exclude ? value.replace(options.exclude, '') : value))
    .filter((value) => value.length > 0 && templatesToItself(value));
}

function templatesToItself(value: string): boolean {
  if (/\{[{%#]/.test(value)) return false;
  if (/^[{[]/.test(value) || value === 'True' || value === 'False') return false;
  return true;
}

/**
 * JSON (a subset of YAML) with every character YAML treats as a line break or forbids raw
 * written as an escape, so the loader reads back exactly the generated strings.
 */
export function yamlSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
