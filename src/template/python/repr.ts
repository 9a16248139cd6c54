import { PyDict, PyFloat, PyTuple, PyUndefined, PyUnsafe, PyVault, type PyValue } from '../values.js';
import { floatRepr, intRepr } from './floatfmt.js';
import { PyCallable, PyDictView, isInt, protocol } from './types.js';

// Python's str.isprintable(): everything but the "Other" and "Separator" categories (space excepted).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const NEEDS_ESCAPE = /[\\'"\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function escapeChar(ch: string, quote: string, asciiOnly: boolean): string {
  switch (ch) {
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case quote:
      return `\\${quote}`;
    default:
      break;
  }
  const code = ch.codePointAt(0) ?? 0;
  const printable = ch === ' ' || !NON_PRINTABLE.test(ch);
  if (code < 0x20 || code === 0x7f || (!printable && code < 0x100) || (asciiOnly && code >= 0x7f && code < 0x100)) {
    return `\\x${code.toString(16).padStart(2, '0')}`;
  }
  if (printable && (!asciiOnly || code < 0x7f)) return ch;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

/** Python's `repr(str)`; `asciiOnly` gives `ascii(str)`. */
export function strRepr(s: string, asciiOnly = false): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  // eslint-disable-next-line no-control-regex
  if (!NEEDS_ESCAPE.test(s) && !(asciiOnly && /[^\x00-\x7e]/.test(s))) return `${quote}${s}${quote}`;
  let out = quote;
  for (const ch of s) out += escapeChar(ch, quote, asciiOnly);
  return out + quote;
}

/** Python's `repr()` of a template value, as Jinja2 prints values inside containers. */
export function pyRepr(v: PyValue, asciiOnly = false): string {
  if (typeof v === 'string') return strRepr(v, asciiOnly);
  if (isInt(v)) return intRepr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  if (v instanceof PyFloat) return floatRepr(v.value);
  const inner = (x: PyValue): string => pyRepr(x, asciiOnly);
  if (Array.isArray(v)) return `[${v.map(inner).join(', ')}]`;
  if (v instanceof PyTuple) {
    return v.items.length === 1 ? `(${inner(v.items[0] ?? null)},)` : `(${v.items.map(inner).join(', ')})`;
  }
  if (v instanceof PyDict) return `{${[...v].map(([k, x]) => `${inner(k)}: ${inner(x)}`).join(', ')}}`;
  if (v instanceof PyUnsafe) return strRepr(v.value, asciiOnly);
  if (v instanceof PyDictView) return `${v.pyType}(${inner(v.items())})`;
  if (v instanceof PyUndefined) return 'AnsibleUndefined';
  if (v instanceof PyVault) return strRepr(v.plaintext, asciiOnly);
  if (v instanceof PyCallable) return `<built-in method ${v.name}>`;
  const p = protocol(v);
  if (p?.pyRepr) return p.pyRepr();
  return `<${p?.pyType ?? 'object'} object>`;
}
