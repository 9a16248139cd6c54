import { jsonDumps } from '../../template/filters/json.js';
import { PyDict, PyTuple, PyVault, type PyValue } from '../../template/values.js';

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
