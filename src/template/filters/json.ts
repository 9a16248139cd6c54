import { floatRepr, intRepr, isInt, pyCompare, pyTypeName, typeError, undefinedError, valueError } from '../python/index.js';
import { PyDict, PyFloat, PyTuple, PyUndefined, PyUnsafe, PyVault, type PyKey, type PyValue } from '../values.js';
import { PyDate } from '../python/dates.js';
import { PyDatetime } from '../runtime/datetime.js';
import { PluginError } from './common.js';

/** The options of Python's `json.dumps` that templates pass through `to_json(...)`. */
export interface JsonDumpOptions {
  indent?: string | null;
  sortKeys?: boolean;
  ensureAscii?: boolean;
  separators?: [string, string];
  skipKeys?: boolean;
  allowNan?: boolean;
  /** AnsibleJSONEncoder: dates as ISO 8601 text (Jinja2's tojson uses the plain encoder). */
  ansibleEncoder?: boolean;
}

function escapeJsonString(s: string, ensureAscii: boolean): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) {
      if (code > 0xffff) {
        const v = code - 0x10000;
        out += `\\u${(0xd800 | (v >> 10)).toString(16)}\\u${(0xdc00 | (v & 0x3ff)).toString(16)}`;
      } else out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

function floatText(x: number, allowNan: boolean): string {
  if (Number.isFinite(x)) return floatRepr(x);
  if (!allowNan) throw valueError(`Out of range float values are not JSON compliant`);
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

function keyText(key: PyKey, allowNan: boolean): string | undefined {
  if (typeof key === 'string') return key;
  if (isInt(key)) return intRepr(key);
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (key === null) return 'null';
  if (key instanceof PyFloat) return floatText(key.value, allowNan);
  return undefined;
}

/** Python's `json.dumps` with Ansible's AnsibleJSONEncoder (unsafe text as str, dates, mappings). */
export function jsonDumps(value: PyValue, options: JsonDumpOptions = {}): string {
  const indent = options.indent ?? null;
  const [itemSep, keySep] = options.separators ?? (indent === null ? [', ', ': '] : [',', ': ']);
  const ensureAscii = options.ensureAscii ?? true;
  const allowNan = options.allowNan ?? true;

  const encode = (v: PyValue, level: number): string => {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (isInt(v)) return intRepr(v);
    if (v instanceof PyFloat) return floatText(v.value, allowNan);
    if (typeof v === 'string') return escapeJsonString(v, ensureAscii);
    if (v instanceof PyUnsafe) return escapeJsonString(v.value, ensureAscii);
    if (v instanceof PyUndefined) throw undefinedError(v);
    if ((v instanceof PyDatetime || v instanceof PyDate) && options.ansibleEncoder) return escapeJsonString(v.isoformat(), ensureAscii);
    // AnsibleJSONEncoder(vault_to_text=True), as to_json and module arguments use it.
    if (v instanceof PyVault) return escapeJsonString(v.plaintext, ensureAscii);
    const inner = (parts: string[], open: string, close: string): string => {
      if (parts.length === 0) return `${open}${close}`;
      if (indent === null) return `${open}${parts.join(itemSep)}${close}`;
      const pad = `\n${indent.repeat(level + 1)}`;
      return `${open}${pad}${parts.join(itemSep + pad)}\n${indent.repeat(level)}${close}`;
    };
    if (Array.isArray(v) || v instanceof PyTuple) {
      return inner((Array.isArray(v) ? v : v.items).map((x) => encode(x, level + 1)), '[', ']');
    }
    if (v instanceof PyDict) {
      let pairs = [...v];
      if (options.sortKeys) pairs = pairs.sort((a, b) => pyCompare(a[0], b[0]));
      const parts: string[] = [];
      for (const [k, x] of pairs) {
        const key = keyText(k, allowNan);
        if (key === undefined) {
          if (options.skipKeys) continue;
          throw typeError(`keys must be str, int, float, bool or None, not ${pyTypeName(k)}`);
        }
        parts.push(`${escapeJsonString(key, ensureAscii)}${keySep}${encode(x, level + 1)}`);
      }
      return inner(parts, '{', '}');
    }
    throw typeError(`Object of type ${pyTypeName(v)} is not JSON serializable`);
  };
  return encode(value, 0);
}

/** Python's `json.loads`: ints stay ints, `1.0` stays a float, NaN/Infinity accepted. */
export function jsonLoads(source: string): PyValue {
  let pos = 0;
  const fail = (message: string, at = pos): never => {
    const before = source.slice(0, at);
    const line = before.split('\n').length;
    const col = at - (before.lastIndexOf('\n') + 1) + 1;
    throw new PluginError('JSONDecodeError', `${message}: line ${line} column ${col} (char ${at})`);
  };
  const skipWs = (): void => {
    while (pos < source.length && ' \t\n\r'.includes(source[pos] ?? '')) pos++;
  };
  const parseString = (): string => {
    const start = pos;
    pos++;
    let out = '';
    for (;;) {
      if (pos >= source.length) fail('Unterminated string starting at', start);
      const ch = source[pos] ?? '';
      if (ch === '"') {
        pos++;
        return out;
      }
      if (ch === '\\') {
        const esc = source[pos + 1] ?? '';
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (esc in simple) {
          out += simple[esc];
          pos += 2;
        } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(parseInt(source.slice(pos + 2, pos + 6), 16));
          pos += 6;
        } else fail('Invalid \\escape', pos);
      } else if (ch < ' ') fail('Invalid control character at', pos);
      else {
        out += ch;
        pos++;
      }
    }
  };
  const parseValue = (): PyValue => {
    skipWs();
    const ch = source[pos];
    if (ch === '"') return parseString();
    if (ch === '{') {
      pos++;
      const dict = new PyDict();
      skipWs();
      if (source[pos] === '}') {
        pos++;
        return dict;
      }
      for (;;) {
        skipWs();
        if (source[pos] !== '"') fail('Expecting property name enclosed in double quotes');
        const key = parseString();
        skipWs();
        if (source[pos] !== ':') fail("Expecting ':' delimiter");
        pos++;
        dict.set(key, parseValue());
        skipWs();
        if (source[pos] === '}') {
          pos++;
          return dict;
        }
        if (source[pos] !== ',') fail("Expecting ',' delimiter");
        pos++;
      }
    }
    if (ch === '[') {
      pos++;
      const list: PyValue[] = [];
      skipWs();
      if (source[pos] === ']') {
        pos++;
        return list;
      }
      for (;;) {
        list.push(parseValue());
        skipWs();
        if (source[pos] === ']') {
          pos++;
          return list;
        }
        if (source[pos] !== ',') fail("Expecting ',' delimiter");
        pos++;
      }
    }
    for (const [word, value] of [
      ['null', null],
      ['true', true],
      ['false', false],
      ['NaN', new PyFloat(NaN)],
      ['Infinity', new PyFloat(Infinity)],
      ['-Infinity', new PyFloat(-Infinity)],
    ] as const) {
      if (source.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    const number = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(source.slice(pos));
    if (number) {
      pos += number[0].length;
      return number[1] || number[2] ? new PyFloat(Number(number[0])) : Number(number[0]);
    }
    return fail('Expecting value');
  };
  const value = parseValue();
  skipWs();
  if (pos < source.length) fail('Extra data');
  return value;
}
