import type { SourceLocation } from '../errors.js';
import { jsonLoads } from '../template/filters/json.js';
import { PyDict, PyUnsafe, PyVault, type PyValue } from '../template/values.js';
import { vaultValueDecrypter } from './context.js';

/**
 * json.loads with AnsibleJSONDecoder: `{"__ansible_vault": …}` becomes a vaulted value
 * (decrypted with the run's secrets when used) and `{"__ansible_unsafe": …}` unsafe text.
 * `file` names where the text came from, for a vaulted value that does not decrypt.
 */
export function ansibleJsonLoads(text: string, file: string): PyValue {
  const at: SourceLocation = { file, line: 1, col: 1 };
  const revive = (value: PyValue): PyValue => {
    if (Array.isArray(value)) return value.map(revive);
    if (!(value instanceof PyDict)) return value;
    const vaulted = value.get('__ansible_vault');
    if (typeof vaulted === 'string') return new PyVault(vaulted, vaultValueDecrypter(at));
    const unsafe = value.get('__ansible_unsafe');
    if (typeof unsafe === 'string') return new PyUnsafe(unsafe);
    return new PyDict([...value].map(([key, item]) => [key, revive(item)]));
  };
  return revive(jsonLoads(text));
}
