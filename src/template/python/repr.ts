import { PyDict, PyFloat, PyTuple, PyUndefined, PyUnsafe, PyVault, type PyValue } from '../values.js';
import { floatRepr, intRepr } from './floatfmt.js';
import { strRepr } from './str_repr.js';
import { PyCallable, PyDictView, isInt, protocol } from './types.js';

export { strRepr };

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
