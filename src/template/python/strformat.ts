import { PyDict, PyFloat, PyTuple, PyUnsafe, type PyValue } from '../values.js';
import { dictGet } from './compare.js';
import { PyError, valueError } from './errors.js';
import { floatRepr, formatFloatAbs } from './floatfmt.js';
import { codePointChar, intDigits } from './percent.js';
import { pyRepr } from './repr.js';
import { pyStr, pyTypeName } from './str.js';
import { isIntegral, isStr, numValue, strValue, type PyInt } from './types.js';

/** Python's `str.format()` and `format(value, spec)` (https://docs.python.org/3/library/string.html#formatstrings). */

interface FormatSpec {
  fill: string;
  align: string | undefined;
  sign: string;
  alternate: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | undefined;
  type: string;
}

const SPEC = /^(?:(.)?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su;

function parseSpec(text: string): FormatSpec {
  const m = SPEC.exec(text);
  if (!m) throw valueError('Invalid format specifier');
  return {
    fill: m[1] ?? (m[6] && !m[2] ? '0' : ' '),
    align: m[2] ?? (m[6] ? '=' : undefined),
    sign: m[3] ?? '-',
    alternate: m[5] !== undefined,
    zero: m[6] !== undefined,
    width: Number(m[7] ?? 0),
    grouping: m[8] ?? '',
    precision: m[9] === undefined ? undefined : Number(m[9]),
    type: m[10] ?? '',
  };
}

function align(body: string, sign: string, spec: FormatSpec, defaultAlign: string): string {
  const len = Array.from(sign + body).length;
  if (len >= spec.width) return sign + body;
  const n = spec.width - len;
  const fill = spec.fill;
  switch (spec.align ?? defaultAlign) {
    case '<':
      return sign + body + fill.repeat(n);
    case '^':
      return fill.repeat(Math.floor(n / 2)) + sign + body + fill.repeat(n - Math.floor(n / 2));
    case '=':
      return sign + fill.repeat(n) + body;
    default:
      return fill.repeat(n) + sign + body;
  }
}

function group(digits: string, sep: string, every: number): string {
  if (!sep) return digits;
  let out = '';
  for (let i = digits.length; i > 0; i -= every) out = digits.slice(Math.max(0, i - every), i) + (out ? sep + out : '');
  return out;
}

function signText(negative: boolean, sign: string): string {
  if (negative) return '-';
  return sign === '+' ? '+' : sign === ' ' ? ' ' : '';
}

function formatInt(n: PyInt, spec: FormatSpec): string {
  if (spec.precision !== undefined) throw valueError('Precision not allowed in integer format specifier');
  const t = spec.type || 'd';
  if (t === 'c') {
    // format() reads the int as a C long before range-checking it (long_format in Objects/longobject.c).
    if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw new PyError('OverflowError', 'Python int too large to convert to C long');
    return align(codePointChar(n), '', spec, '<');
  }
  const base = t === 'b' ? 2 : t === 'o' ? 8 : t === 'x' || t === 'X' ? 16 : 10;
  let digits = intDigits(n, base);
  if (t === 'X') digits = digits.toUpperCase();
  digits = group(digits, spec.grouping, base === 10 ? 3 : 4);
  const prefix = spec.alternate && base !== 10 ? `0${t === 'X' ? 'X' : t === 'x' ? 'x' : t}` : '';
  return align(digits, signText(n < 0, spec.sign) + prefix, spec, '>');
}

function formatFloat(x: number, spec: FormatSpec): string {
  const negative = x < 0 || Object.is(x, -0);
  let body: string;
  if (!spec.type && spec.precision === undefined) body = floatRepr(Math.abs(x));
  else {
    const type = spec.type || 'g';
    const precision = spec.precision ?? 6;
    body = formatFloatAbs(Math.abs(x), { type: type === 'n' ? 'g' : type, precision, alternate: spec.alternate });
    // No presentation type: like 'g', but fixed-point keeps one digit after the point.
    if (!spec.type && /^\d+$/.test(body)) body += '.0';
  }
  if (spec.grouping) {
    const cut = body.search(/[.eE%]/);
    body = group(cut < 0 ? body : body.slice(0, cut), spec.grouping, 3) + (cut < 0 ? '' : body.slice(cut));
  }
  return align(body, signText(negative, spec.sign), spec, '>');
}

/** `format(value, spec)`: `value.__format__(spec)` for the Python types templates hold. */
export function formatValue(v: PyValue, specText: string): string {
  if (specText === '') return pyStr(v);
  const spec = parseSpec(specText);
  if (isStr(v)) {
    if (spec.type && spec.type !== 's') throw valueError(`Unknown format code '${spec.type}' for object of type 'str'`);
    if (/^(?:.?[<>=^])?[-+ ]/su.test(specText)) throw valueError('Sign not allowed in string format specifier');
    let text = strValue(v);
    if (spec.precision !== undefined) text = Array.from(text).slice(0, spec.precision).join('');
    return align(text, '', spec, '<');
  }
  if (isIntegral(v)) {
    const n = typeof v === 'boolean' ? Number(v) : v;
    if ('eEfFgG%'.includes(spec.type) && spec.type) return formatFloat(numValue(n), spec);
    return formatInt(n, spec);
  }
  if (v instanceof PyFloat) {
    if ('bcdoxX'.includes(spec.type) && spec.type) {
      throw valueError(`Unknown format code '${spec.type}' for object of type 'float'`);
    }
    return formatFloat(v.value, spec);
  }
  throw new PyError('TypeError', `unsupported format string passed to ${pyTypeName(v)}.__format__`);
}

function resolveField(
  name: string,
  args: PyValue[],
  kwargs: Map<string, PyValue>,
  auto: { next: number; mode: 'auto' | 'manual' | undefined },
): PyValue {
  const m = /^([^.[]*)(.*)$/s.exec(name) as RegExpExecArray;
  const first = m[1] ?? '';
  let value: PyValue;
  if (first === '') {
    if (auto.mode === 'manual') throw valueError('cannot switch from manual field specification to automatic field numbering');
    auto.mode = 'auto';
    const index = auto.next++;
    if (index >= args.length) throw new PyError('IndexError', `Replacement index ${index} out of range for positional args tuple`);
    value = args[index] ?? null;
  } else if (/^\d+$/.test(first)) {
    if (auto.mode === 'auto') throw valueError('cannot switch from automatic field numbering to manual field specification');
    auto.mode = 'manual';
    const index = Number(first);
    if (index >= args.length) throw new PyError('IndexError', `Replacement index ${index} out of range for positional args tuple`);
    value = args[index] ?? null;
  } else {
    const found = kwargs.get(first);
    if (found === undefined) throw new PyError('KeyError', pyRepr(first));
    value = found;
  }
  const rest = m[2] ?? '';
  const accessor = /\.([^.[]+)|\[([^\]]+)\]/gy;
  let a: RegExpExecArray | null;
  while (accessor.lastIndex < rest.length && (a = accessor.exec(rest)) !== null) {
    if (a[1] !== undefined) {
      throw new PyError('AttributeError', `'${pyTypeName(value)}' object has no attribute '${a[1]}'`);
    }
    const key: PyValue = /^\d+$/.test(a[2] ?? '') ? Number(a[2]) : (a[2] ?? '');
    value = subscript(value, key);
  }
  return value;
}

function subscript(container: PyValue, key: PyValue): PyValue {
  if (container instanceof PyDict) {
    const found = dictGet(container, key);
    if (found === undefined) throw new PyError('KeyError', pyRepr(key));
    return found;
  }
  const items = Array.isArray(container) ? container : container instanceof PyTuple ? container.items : undefined;
  if (items && typeof key === 'number') {
    if (key >= items.length) throw new PyError('IndexError', 'list index out of range');
    return items[key] ?? null;
  }
  if ((typeof container === 'string' || container instanceof PyUnsafe) && typeof key === 'number') {
    const chars = Array.from(strValue(container));
    if (key >= chars.length) throw new PyError('IndexError', 'string index out of range');
    return chars[key] ?? '';
  }
  throw new PyError('TypeError', `'${pyTypeName(container)}' object is not subscriptable`);
}

/** Python's `str.format(*args, **kwargs)`. */
export function strFormat(format: string, args: PyValue[], kwargs: Map<string, PyValue>): string {
  const auto = { next: 0, mode: undefined as 'auto' | 'manual' | undefined };
  return render(format, args, kwargs, auto, 0);
}

function render(
  format: string,
  args: PyValue[],
  kwargs: Map<string, PyValue>,
  auto: { next: number; mode: 'auto' | 'manual' | undefined },
  depth: number,
): string {
  if (depth > 1) throw valueError('Max string recursion exceeded');
  let out = '';
  let i = 0;
  while (i < format.length) {
    const ch = format[i] as string;
    if (ch === '}') {
      if (format[i + 1] !== '}') throw valueError("Single '}' encountered in format string");
      out += '}';
      i += 2;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      i++;
      continue;
    }
    if (format[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    // Find the matching close brace, allowing one level of nested fields in the spec.
    let level = 1;
    let j = i + 1;
    for (; j < format.length && level > 0; j++) {
      if (format[j] === '{') level++;
      else if (format[j] === '}') level--;
    }
    if (level > 0) throw valueError("expected '}' before end of string");
    const field = format.slice(i + 1, j - 1);
    i = j;
    const m = /^([^!:]*)(?:!(.))?(?::(.*))?$/s.exec(field);
    if (!m) throw valueError('unmatched field');
    const [, name = '', conversion, specText = ''] = m;
    let value = resolveField(name, args, kwargs, auto);
    if (conversion === 'r') value = pyRepr(value);
    else if (conversion === 'a') value = pyRepr(value, true);
    else if (conversion === 's') value = pyStr(value);
    else if (conversion !== undefined) throw valueError(`Unknown conversion specifier ${conversion}`);
    const spec = specText.includes('{') ? render(specText, args, kwargs, auto, depth + 1) : specText;
    out += formatValue(value, spec);
  }
  return out;
}
