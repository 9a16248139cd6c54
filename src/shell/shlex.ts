/**
 * Python's `shlex.split(text, comments=…)` in POSIX mode: Ansible splits `command` text,
 * `validate` commands and ssh arguments with comments off, and INI inventory host lines
 * with comments on. Outside quotes a backslash escapes any character; inside double quotes
 * only `"` and `\`; single quotes escape nothing.
 */

/** The text cannot be split; messages are Python's. */
export class ShlexError extends Error {}

const WHITESPACE = ' \t\r\n';

export function shlexSplit(text: string, options: { comments?: boolean } = {}): string[] {
  const tokens: string[] = [];
  let token = '';
  let inToken = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (WHITESPACE.includes(ch)) {
      if (inToken) tokens.push(token);
      token = '';
      inToken = false;
      i += 1;
    } else if (ch === '#' && options.comments) {
      // A comment runs to the end of the line, even when it starts inside a word.
      break;
    } else if (ch === '\\') {
      if (i + 1 >= text.length) throw new ShlexError('No escaped character');
      token += text[i + 1];
      inToken = true;
      i += 2;
    } else if (ch === "'" || ch === '"') {
      const end = closingQuote(text, i);
      token += unquote(text.slice(i + 1, end), ch);
      inToken = true;
      i = end + 1;
    } else {
      token += ch;
      inToken = true;
      i += 1;
    }
  }
  if (inToken) tokens.push(token);
  return tokens;
}

function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === quote) return i;
    if (quote === '"' && text[i] === '\\') i += 1;
  }
  throw new ShlexError('No closing quotation');
}

function unquote(body: string, quote: string): string {
  if (quote === "'") return body;
  return body.replace(/\\([\s\S])/g, (whole, next: string) => (next === '"' || next === '\\' ? next : whole));
}
