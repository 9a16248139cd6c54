import { PyFloat, PyTuple, PyDict, PyUndefined, PyUnsafe, PyVault, type PyValue } from '../values.js';
import { floatRepr, intRepr } from './floatfmt.js';
import { pyRepr } from './repr.js';
import { isInt, protocol } from './types.js';
import { isLenient, undefinedError } from './undefined.js';

/**
 * Python's `str()`. An undefined value raises (Ansible's StrictUndefined); rendering a bare
 * None as '' is Ansible's template-output rule and belongs to the evaluator.
 */
export function pyStr(v: PyValue): string {
  if (typeof v === 'string') return v;
  if (isInt(v)) return intRepr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (v instanceof PyUnsafe) return v.value;
  if (v instanceof PyUndefined) {
    if (isLenient(v)) return '';
    throw undefinedError(v);
  }
  const p = protocol(v);
  if (p?.pyStr) return p.pyStr();
  return pyRepr(v);
}

/** The type name in Python's operator errors (`tp_name`: `datetime.datetime` for C types). */
export function pyTpName(v: PyValue): string {
  return protocol(v)?.pyTpName ?? pyTypeName(v);
}

/**
 * `type(v).__name__`, as the `type_debug` filter shows it. Values templated from YAML are
 * plain Python types here (fleet does not track AnsibleUnicode/AnsibleMapping origins);
 * `!unsafe` and `!vault` values keep Ansible's class names.
 */
export function pyTypeName(v: PyValue): string {
  if (typeof v === 'string') return 'str';
  if (isInt(v)) return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (v === null) return 'NoneType';
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PyUnsafe) return 'AnsibleUnsafeText';
  if (v instanceof PyVault) return 'AnsibleVaultEncryptedUnicode';
  if (v instanceof PyUndefined) return 'AnsibleUndefined';
  return v.pyType;
}
