import type { SourceLocation } from '../../errors.js';
import { jsonDumps, jsonLoads } from '../../template/filters/json.js';
import { PyDict, PyTuple, PyUnsafe, PyVault, type PyValue } from '../../template/values.js';
import { vaultValueDecrypter } from '../../vault/context.js';

/**
 * A host's facts as the jsonfile cache plugin writes them: json.dumps(cls=AnsibleJSONEncoder,
 * sort_keys=True, indent=4), no newline at the end. The encoder writes a vaulted value as
 * `{"__ansible_vault": ciphertext}`, never its plaintext.
 */
export function encodeFacts(facts: PyDict): string {
  return jsonDumps(withVaultsWrapped(facts), { indent: '    ', sortKeys: true, ansibleEncoder: true });
}

function withVaultsWrapped(value: PyValue): PyValue {
  if (value instanceof PyVault) return new PyDict([['__ansible_vault', value.ciphertext]]);
  if (Array.isArray(value)) return value.map(withVaultsWrapped);
  if (value instanceof PyTuple) return value.items.map(withVaultsWrapped);
  if (value instanceof PyDict) return new PyDict([...value].map(([key, item]) => [key, withVaultsWrapped(item)]));
  return value;
}

/**
 * AnsibleJSONDecoder: the file's JSON, with `{"__ansible_vault": …}` a vaulted value again
 * (decrypted with the run's secrets when used) and `{"__ansible_unsafe": …}` unsafe text.
 */
export function decodeFacts(text: string, file: string): PyValue {
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
