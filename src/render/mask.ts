import { quote } from '../shell/quote.js';
import { MASK, SecretRegistry } from '../secrets/registry.js';
import type { OutgoingScript } from '../executor/script_hook.js';
import type { PyValue } from '../template/values.js';
import { PyDict, PyTuple, PyUnsafe } from '../template/values.js';

// A here-document whose body is only base64 lines: how modules ship file content (putTemp).
const BASE64_HEREDOC = /(<<'([A-Za-z_][A-Za-z0-9_]*)'[^\n]*\n)((?:[A-Za-z0-9+/=]+\n)+)(\2)(?=\n|$)/g;

/** Every string inside an argument value (no_log masks all of them). */
function stringsIn(value: PyValue | undefined, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof PyUnsafe) out.push(value.value);
  else if (Array.isArray(value) || value instanceof PyTuple) for (const item of Array.isArray(value) ? value : value.items) stringsIn(item, out);
  else if (value instanceof PyDict) {
    for (const [key, inner] of value) {
      if (typeof key === 'string') out.push(key);
      stringsIn(inner, out);
    }
  }
  return out;
}

/**
 * The secrets of one outgoing script beyond the run's: the Script's own Secret parts, and
 * for a no_log task every string of its arguments, each also as shell-quoted.
 */
function scriptSecrets(outgoing: OutgoingScript): SecretRegistry {
  const registry = new SecretRegistry();
  const values = outgoing.script.secrets();
  if (outgoing.noLog) for (const value of outgoing.args.values()) values.push(...stringsIn(value));
  for (const value of values) {
    registry.add(value);
    registry.add(quote(value));
  }
  return registry;
}

/**
 * What `fleet render` may print of a script: secrets replaced by the mask, and a base64
 * file payload masked whole when what it decodes to holds a secret (or the task is no_log),
 * since a secret's base64 form inside a longer file cannot be found by its text.
 */
export function maskedScript(outgoing: OutgoingScript, runSecrets: SecretRegistry): string {
  const own = scriptSecrets(outgoing);
  const mask = (text: string) => own.mask(runSecrets.mask(text));
  const payloadsMasked = outgoing.text.replace(BASE64_HEREDOC, (whole, opening: string, _delimiter: string, body: string, closing: string) => {
    const decoded = Buffer.from(body.replace(/\n/g, ''), 'base64').toString('utf8');
    const secret = outgoing.noLog || mask(decoded) !== decoded;
    return secret ? `${opening}${MASK}\n${closing}` : whole;
  });
  return mask(payloadsMasked);
}
