import { PyDate } from '../template/python/dates.js';
import { floatRepr } from '../template/python/index.js';
import { PyDatetime } from '../template/runtime/datetime.js';
import { PyFloat, PyTuple, type PyValue } from '../template/values.js';

/**
 * Python's `json.dumps`, which Ansible uses for every result it prints: `", "`/`": "`
 * separators (`","` before newlines when indenting), floats as Python writes them, keys of
 * any scalar type turned to strings, NaN/Infinity as Python spells them.
 */
export interface DumpOptions {
  indent?: number;
  sortKeys?: boolean;
  ensureAscii?: boolean;
  separators?: [string, string];
}

export function jsonDumps(value: PyValue | unknown, options: DumpOptions = {}): string {
  const itemSep = options.separators?.[0] ?? (options.indent === undefined ? ', ' : ',');
  const keySep = options.separators?.[1] ?? ': ';
  return encode(value, 0);

  function encode(v: unknown, depth: number): string {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return encodeString(v, options.ensureAscii ?? true);
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : floatText(v);
    if (typeof v === 'bigint') return String(v);
    if (v instanceof PyFloat) return floatText(v.value);
    if (v instanceof PyTuple) return encodeList(v.items, depth);
    if (Array.isArray(v)) return encodeList(v, depth);
    if (v instanceof Map) return encodeEntries([...v.entries()], depth);
    // AnsibleJSONEncoder.default: dates and datetimes as isoformat().
    if (v instanceof PyDate || v instanceof PyDatetime) return encodeString(v.isoformat(), options.ensureAscii ?? true);
    if (typeof v === 'object' && 'pyType' in v) {
      const wrapped = v as { value?: unknown };
      if (typeof wrapped.value === 'string') return encodeString(wrapped.value, options.ensureAscii ?? true);
      return 'null';
    }
    if (typeof v === 'object') return encodeEntries(Object.entries(v as Record<string, unknown>), depth);
    return encodeString(String(v), options.ensureAscii ?? true);
  }

  function encodeList(items: readonly unknown[], depth: number): string {
    if (items.length === 0) return '[]';
    const parts = items.map((item) => encode(item, depth + 1));
    return wrap('[', parts, ']', depth);
  }

  function encodeEntries(entries: [unknown, unknown][], depth: number): string {
    if (entries.length === 0) return '{}';
    let keyed = entries.map(([k, v]) => [keyText(k), v] as const);
    if (options.sortKeys) keyed = [...keyed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const parts = keyed.map(([k, v]) => `${encodeString(k, options.ensureAscii ?? true)}${keySep}${encode(v, depth + 1)}`);
    return wrap('{', parts, '}', depth);
  }

  function wrap(open: string, parts: string[], close: string, depth: number): string {
    if (options.indent === undefined) return `${open}${parts.join(itemSep)}${close}`;
    const inner = '\n' + ' '.repeat(options.indent * (depth + 1));
    const outer = '\n' + ' '.repeat(options.indent * depth);
    return `${open}${inner}${parts.join(itemSep + inner)}${outer}${close}`;
  }
}

function keyText(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (key === true) return 'true';
  if (key === false) return 'false';
  if (key instanceof PyFloat) return floatText(key.value);
  return String(key);
}

function floatText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return floatRepr(value);
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function encodeString(text: string, ensureAscii: boolean): string {
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    const code = text.charCodeAt(i);
    const escaped = ESCAPES[ch];
    if (escaped) out += escaped;
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}
