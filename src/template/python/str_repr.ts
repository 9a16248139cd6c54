// Python's `repr(str)` on its own (no template values), so code loaded at every start (the
// CLI's option errors) can quote as Python does without loading the template runtime.

// Python's str.isprintable(): everything but the "Other" and "Separator" categories (space excepted).
// Both are built on first use: a regex is parsed where it is created, and \p{Cn} (every
// unassigned code point) costs V8 an ICU scan of all of Unicode, on every fleet start.
let nonPrintable: RegExp | undefined;
let needsEscape: RegExp | undefined;
const isNonPrintable = (ch: string): boolean => (nonPrintable ??= /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u).test(ch);
const needsEscaping = (s: string): boolean => (needsEscape ??= /[\\'"\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u).test(s);
/** Printable ASCII without quotes or backslashes: what most strings are, and what repr() leaves as it is. */
// eslint-disable-next-line no-control-regex
const PLAIN_ASCII = /^[^\x00-\x1f"'\\\x7f-\uffff]*$/;

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
  const printable = ch === ' ' || !isNonPrintable(ch);
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
  if (PLAIN_ASCII.test(s) || (!needsEscaping(s) && !(asciiOnly && /[^\x00-\x7e]/.test(s)))) return `${quote}${s}${quote}`;
  let out = quote;
  for (const ch of s) out += escapeChar(ch, quote, asciiOnly);
  return out + quote;
}
