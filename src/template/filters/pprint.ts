import { pyCompare, pyRepr, pyTypeName, strRepr } from '../python/index.js';
import { PyDict, PyTuple, type PyKey, type PyValue } from '../values.js';

/**
 * Python's `pprint.pformat(value)` (width 80, indent 1, dicts sorted), which Jinja2's
 * `pprint` filter returns. https://github.com/python/cpython/blob/3.11/Lib/pprint.py
 */
const WIDTH = 80;

/** pprint's `_safe_key`: values that cannot be ordered sort by type name instead. */
function safeCompare(a: PyValue, b: PyValue): number {
  try {
    return pyCompare(a, b);
  } catch {
    const ta = pyTypeName(a);
    const tb = pyTypeName(b);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  }
}

function sortedItems(d: PyDict): Array<[PyKey, PyValue]> {
  return [...d].sort((x, y) => safeCompare(x[0], y[0]) || safeCompare(x[1], y[1]));
}

/** `_safe_repr`: repr with every nested dict's keys sorted. */
function safeRepr(v: PyValue): string {
  if (v instanceof PyDict) return `{${sortedItems(v).map(([k, x]) => `${safeRepr(k)}: ${safeRepr(x)}`).join(', ')}}`;
  if (Array.isArray(v)) return `[${v.map(safeRepr).join(', ')}]`;
  if (v instanceof PyTuple) {
    return v.items.length === 1 ? `(${safeRepr(v.items[0] ?? null)},)` : `(${v.items.map(safeRepr).join(', ')})`;
  }
  return pyRepr(v);
}

const len = (s: string): number => Array.from(s).length;

class PrettyPrinter {
  out = '';

  format(v: PyValue, indent: number, allowance: number, level: number): void {
    const rep = safeRepr(v);
    if (len(rep) > WIDTH - indent - allowance) {
      if (v instanceof PyDict && v.size > 0) return this.dict(v, indent, allowance, level + 1);
      if (Array.isArray(v) && v.length > 0) return this.items('[', v, ']', indent, allowance, level + 1);
      if (v instanceof PyTuple && v.items.length > 0) {
        const end = v.items.length === 1 ? ',)' : ')';
        return this.items('(', v.items, end, indent, allowance, level + 1);
      }
      if (typeof v === 'string' && v.length > 0) return this.str(v, indent, allowance, level + 1);
    }
    this.out += rep;
  }

  private dict(d: PyDict, indent: number, allowance: number, level: number): void {
    this.out += '{';
    const items = sortedItems(d);
    const inner = indent + 1;
    items.forEach(([key, value], i) => {
      const last = i === items.length - 1;
      const rep = safeRepr(key);
      this.out += `${rep}: `;
      this.format(value, inner + len(rep) + 2, last ? allowance + 1 : 1, level);
      if (!last) this.out += `,\n${' '.repeat(inner)}`;
    });
    this.out += '}';
  }

  private items(open: string, items: PyValue[], close: string, indent: number, allowance: number, level: number): void {
    this.out += open;
    const inner = indent + 1;
    items.forEach((item, i) => {
      const last = i === items.length - 1;
      if (i > 0) this.out += `,\n${' '.repeat(inner)}`;
      this.format(item, inner, last ? allowance + len(close) : 1, level);
    });
    this.out += close;
  }

  private str(s: string, indent: number, allowance: number, level: number): void {
    let lineIndent = indent;
    let lineAllowance = allowance;
    if (level === 1) {
      lineIndent += 1;
      lineAllowance += 1;
    }
    const chunks: string[] = [];
    const lines = s.match(/[^\n]*\n|[^\n]+$/g) ?? [s];
    const maxWidth = WIDTH - lineIndent;
    let lastRep = '';
    lines.forEach((line, i) => {
      const lastLine = i === lines.length - 1;
      const rep = strRepr(line);
      lastRep = rep;
      if (len(rep) <= (lastLine ? maxWidth - lineAllowance : maxWidth)) {
        chunks.push(rep);
        return;
      }
      const parts = line.match(/\S*\s*/g)?.filter((p, j, all) => j < all.length - 1 || p !== '') ?? [];
      let current = '';
      parts.forEach((part, j) => {
        const candidate = current + part;
        const limit = j === parts.length - 1 && lastLine ? maxWidth - lineAllowance : maxWidth;
        if (len(strRepr(candidate)) > limit) {
          if (current) chunks.push(strRepr(current));
          current = part;
        } else current = candidate;
      });
      if (current) chunks.push(strRepr(current));
    });
    if (chunks.length === 1) {
      this.out += lastRep;
      return;
    }
    if (level === 1) this.out += '(';
    this.out += chunks.join(`\n${' '.repeat(lineIndent)}`);
    if (level === 1) this.out += ')';
  }
}

export function pformat(value: PyValue): string {
  const printer = new PrettyPrinter();
  printer.format(value, 0, 0, 0);
  return printer.out;
}
