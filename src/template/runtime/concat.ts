import { PyDict, PyTuple, PyUnsafe, type PyObject, type PyValue } from '../values.js';
import { pyStr } from '../python/index.js';
import { literalEval } from './literal.js';

/**
 * How Ansible joins a template's output nodes (ansible/template/native_helpers.py):
 * `ansible_eval_concat` for Templar.template (a lone `{{ [1, 2] }}` becomes a list again) and
 * `ansible_concat` for the template module (always text).
 */

/** Output of a string-type filter (`string`, `to_json`…): Ansible's NativeJinjaText, never literal_eval'd. */
export class NativeText implements PyObject {
  readonly pyType = 'NativeJinjaText';
  constructor(readonly text: string) {}

  pyStr(): string {
    return this.text;
  }
}

/** Ansible's to_text of one output node. */
export function toText(v: PyValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof NativeText) return v.text;
  return pyStr(v);
}

export function textConcat(parts: PyValue[]): string {
  if (parts.length === 1) return toText(parts[0] as PyValue);
  let out = '';
  for (const p of parts) out += toText(p);
  return out;
}

/** ansible_eval_concat: text, unless the text reads as a Python list, dict or bool literal. */
export function evalConcat(parts: PyValue[]): PyValue {
  if (parts.length === 0) return '';
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only instanceof NativeText) return only.text;
  const out = textConcat(parts);
  const first = out.charCodeAt(0);
  if (first === 123 /* { */ || first === 91 /* [ */ || out === 'True' || out === 'False') {
    const value = literalEval(out);
    if (value !== undefined) return value;
  }
  return out;
}

/** Ansible's wrap_var: marks every string of a result `!unsafe` so it is never templated again. */
export function wrapUnsafe(v: PyValue): PyValue {
  if (typeof v === 'string') return new PyUnsafe(v);
  if (Array.isArray(v)) return v.map(wrapUnsafe);
  if (v instanceof PyTuple) return new PyTuple(v.items.map(wrapUnsafe));
  if (v instanceof PyDict) {
    const out = new PyDict();
    for (const [k, x] of v) out.set(k, wrapUnsafe(x));
    return out;
  }
  return v;
}

/** Ansible's _is_unsafe: whether a value holds an `!unsafe` string anywhere. */
export function containsUnsafe(v: PyValue): boolean {
  if (v instanceof PyUnsafe) return true;
  if (Array.isArray(v)) return v.some(containsUnsafe);
  if (v instanceof PyTuple) return v.items.some(containsUnsafe);
  if (v instanceof PyDict) {
    for (const x of v.values()) if (containsUnsafe(x)) return true;
  }
  return false;
}
