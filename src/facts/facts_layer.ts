import { PyDict } from '../template/values.js';

/**
 * The variables a host's facts give (VariableManager.get_vars): `ansible_facts` (namespace_facts:
 * the names lose their `ansible_` prefix, ansible_local keeps it) and every fact under its own
 * name (INJECT_FACTS_AS_VARS, after clean_facts strips internal keys like `_ansible_facts_gathered`).
 */
export function factsLayer(facts: PyDict): PyDict {
  const namespaced = new PyDict();
  const layer = new PyDict([['ansible_facts', namespaced]]);
  for (const [key, value] of facts) {
    const name = String(key);
    namespaced.set(name.startsWith('ansible_') && name !== 'ansible_local' ? name.slice('ansible_'.length) : name, value);
    if (!name.startsWith('_ansible_')) layer.set(name, value);
  }
  return layer;
}
