import { quote } from '../../shell/quote.js';
import { heuristicLogSanitize } from './log-sanitize.js';

/** Python's repr() of `text` encoded as UTF-8 bytes (`b'...'`), as in OSError messages. */
export function bytesRepr(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const hasSingle = bytes.includes(0x27);
  const quoteChar = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let body = '';
  for (const byte of bytes) {
    if (byte === 0x5c) body += '\\\\';
    else if (byte === quoteChar.charCodeAt(0)) body += `\\${quoteChar}`;
    else if (byte === 0x09) body += '\\t';
    else if (byte === 0x0a) body += '\\n';
    else if (byte === 0x0d) body += '\\r';
    else if (byte < 0x20 || byte >= 0x7f) body += `\\x${byte.toString(16).padStart(2, '0')}`;
    else body += String.fromCharCode(byte);
  }
  return `b${quoteChar}${body}${quoteChar}`;
}

// module_utils/basic.py PASSWD_ARG_RE
const PASSWORD_ARG = /^-{0,2}pass-?(word|wd)?/;

/** AnsibleModule._clean_args: argv shlex-quoted and joined, password arguments and URL passwords masked. */
export function cleanArgs(argv: readonly string[]): string {
  const out: string[] = [];
  let maskNext = false;
  for (const arg of argv) {
    if (maskNext) {
      maskNext = false;
      out.push('********');
      continue;
    }
    if (PASSWORD_ARG.test(arg)) {
      const eq = arg.indexOf('=');
      if (eq > -1) {
        out.push(`${arg.slice(0, eq)}=********`);
        continue;
      }
      maskNext = true;
    }
    out.push(heuristicLogSanitize(arg));
  }
  return out.map(quote).join(' ');
}
