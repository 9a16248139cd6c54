import { isStrValue, PluginError } from '../filters/common.js';
import { pyRandom } from '../filters/pyrandom.js';
import { dictGet, dictHas } from '../python/index.js';
import { PyDict, PyTuple, type PyValue } from '../values.js';

/**
 * The terms a `with_<lookup>` plugin is handed. listify_lookup_plugin_terms wraps only a
 * string or a non-iterable in a list: a tuple or a mapping reaches the plugin as it is
 * (lib/ansible/utils/listify.py). Most plugins just iterate it (a mapping yields its keys);
 * the ones below look at its type or index into it first, and fail or differ as they do in
 * lib/ansible/plugins/lookup/.
 */
export function loopLookupTerms(lookup: string, templated: PyValue): PyValue[] {
  if (Array.isArray(templated)) return templated;
  if (isStrValue(templated) || !(templated instanceof PyTuple || templated instanceof PyDict)) return [templated];
  const name = lookup.replace(/^ansible\.(builtin|legacy)\./, '');
  const special = NOT_A_LIST[name];
  if (special) return special(templated);
  return templated instanceof PyTuple ? templated.items : [...templated.keys()];
}

const ansibleError = (message: string): PluginError => new PluginError('AnsibleError', message);

/** What TaskExecutor reports for an exception a plugin did not expect (a KeyError, a TypeError). */
const unexpected = (message: string): PluginError => ansibleError(`Unexpected failure during module execution: ${message}`);

const NOT_A_LIST: Record<string, (terms: PyTuple | PyDict) => PyValue[]> = {
  // `isinstance(terms, Sequence)`: a tuple is one, a mapping is not
  list: (terms) => {
    if (terms instanceof PyDict) throw ansibleError('with_list expects a list');
    return terms.items;
  },
  // `isinstance(terms, list)`
  indexed_items: () => {
    throw ansibleError('with_indexed_items expects a list');
  },
  // anything not a list is wrapped in one
  dict: (terms) => [terms],
  // random.choice indexes the terms with a random position: a mapping has no key 0, 1…
  random_choice: (terms) => {
    if (terms instanceof PyTuple) return terms.items;
    if (terms.size === 0) return [];
    const index = pyRandom(null).below(terms.size);
    const chosen = dictGet(terms, index);
    if (chosen === undefined) throw ansibleError(`Unable to choose random term: ${index}`);
    return [chosen];
  },
  // `terms[0] = listify(terms[0])` before any check
  subelements: (terms) => {
    if (terms instanceof PyTuple) throw unexpected("'tuple' object does not support item assignment");
    if (!dictHas(terms, 0)) throw unexpected('0');
    throw ansibleError('subelements lookup expects a list of two or three items, ');
  },
};
