import { floatRepr } from '../../template/python/floatfmt.js';
import { PlistDate, PlistError, PlistNone, PlistReal, PlistUid, type PlistValue } from './launchd-plist.js';

const HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n';
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;
const MIN_INT = -(1n << 63n);
const MAX_INT = 1n << 64n;

/** plistlib.dumps(value) with its defaults (FMT_XML, sort_keys=True): the same bytes. */
export function dumpXmlPlist(value: PlistValue): Buffer {
  const lines: string[] = [];
  const writeln = (level: number, line: string): void => {
    lines.push(`${'\t'.repeat(level)}${line}`);
  };
  const simple = (level: number, element: string, text?: string): void =>
    writeln(level, text === undefined ? `<${element}/>` : `<${element}>${escape(text)}</${element}>`);

  const write = (level: number, item: PlistValue): void => {
    if (typeof item === 'string') simple(level, 'string', item);
    else if (typeof item === 'boolean') simple(level, item ? 'true' : 'false');
    else if (typeof item === 'bigint') {
      if (item < MIN_INT || item >= MAX_INT) throw new PlistError(String(item));
      simple(level, 'integer', String(item));
    } else if (item instanceof PlistReal) simple(level, 'real', floatRepr(item.value));
    else if (item instanceof Map) {
      if (item.size === 0) return simple(level, 'dict');
      writeln(level, '<dict>');
      for (const key of [...item.keys()].sort(byCodePoint)) {
        simple(level + 1, 'key', key);
        write(level + 1, item.get(key) as PlistValue);
      }
      writeln(level, '</dict>');
    } else if (item instanceof Uint8Array) {
      writeln(level, '<data>');
      // _PlistWriter.write_bytes: lines at the <data> tag's own level, as long as its indent allows.
      const lineLength = Math.max(16, 76 - 8 * level);
      const chunk = Math.floor(lineLength / 4) * 3;
      for (let at = 0; at < item.length; at += chunk) writeln(level, Buffer.from(item.subarray(at, at + chunk)).toString('base64'));
      writeln(level, '</data>');
    } else if (item instanceof PlistDate) simple(level, 'date', dateText(item));
    else if (Array.isArray(item)) {
      if (item.length === 0) return simple(level, 'array');
      writeln(level, '<array>');
      for (const element of item) write(level + 1, element);
      writeln(level, '</array>');
    } else if (item instanceof PlistNone) throw new PlistError("unsupported type: <class 'NoneType'>");
    else if (item instanceof PlistUid) throw new PlistError("unsupported type: <class 'plistlib.UID'>");
  };

  writeln(0, '<plist version="1.0">');
  write(0, value);
  writeln(0, '</plist>');
  return Buffer.from(HEADER + lines.join('\n') + '\n', 'utf8');
}

function byCodePoint(a: string, b: string): number {
  const [left, right] = [[...a], [...b]];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i] as string).codePointAt(0)! - (right[i] as string).codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

function escape(text: string): string {
  if (CONTROL_CHARS.test(text)) throw new PlistError("strings can't contain control characters; use bytes instead");
  return text.replace(/\r\n?/g, '\n').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function dateText(date: PlistDate): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(date.year).padStart(4, '0')}-${two(date.month)}-${two(date.day)}T${two(date.hour)}:${two(date.minute)}:${two(date.second)}Z`;
}
