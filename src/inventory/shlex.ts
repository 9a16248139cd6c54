/**
 * Python's `shlex.split(line, comments=True)` in POSIX mode, which Ansible's INI plugin
 * uses to split a host line into the host and its `key=value` pairs.
 */

/** The text cannot be split; messages are Python's. */
export class ShlexError extends Error {}

const WHITESPACE = ' \t\r\n';

export function shlexSplit(line: string): string[] {
  const tokens: string[] = [];
  let token = '';
  let inToken = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (WHITESPACE.includes(ch)) {
      if (inToken) tokens.push(token);
      token = '';
      inToken = false;
      i += 1;
    } else if (ch === '#') {
      // A comment runs to the end of the line, even when it starts inside a word.
      break;
    } else if (ch === '\\') {
      if (i + 1 >= line.length) throw new ShlexError('No escaped character');
      token += line[i + 1];
      inToken = true;
      i += 2;
    } else if (ch === "'" || ch === '"') {
      const [text, next] = readQuoted(line, i);
      token += text;
      inToken = true;
      i = next;
    } else {
      token += ch;
      inToken = true;
      i += 1;
    }
  }
  if (inToken) tokens.push(token);
  return tokens;
}

/** Reads a quoted run starting at `start`; returns its text and the index after the closing quote. */
function readQuoted(line: string, start: number): [string, number] {
  const quote = line[start];
  let text = '';
  let i = start + 1;
  while (i < line.length) {
    const ch = line[i] as string;
    if (ch === quote) return [text, i + 1];
    // Inside double quotes a backslash escapes only `"` and `\`; single quotes escape nothing.
    if (quote === '"' && ch === '\\') {
      if (i + 1 >= line.length) break;
      const next = line[i + 1] as string;
      text += next === '"' || next === '\\' ? next : `\\${next}`;
      i += 2;
      continue;
    }
    text += ch;
    i += 1;
  }
  throw new ShlexError('No closing quotation');
}
