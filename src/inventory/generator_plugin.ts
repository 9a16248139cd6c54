import { ValidationError } from '../errors.js';
import { pyStr, pyTypeName } from '../template/python/index.js';
import { Templar } from '../template/templar.js';
import { PyDict, type PyValue } from '../template/values.js';
import type { InventoryBuilder } from './builder.js';
import { iterate, PythonError } from './python_iteration.js';

/** The names a `plugin:` key gives the generator plugin. */
export const GENERATOR_NAMES = ['generator', 'ansible.builtin.generator'];

/**
 * Ansible's `generator` inventory plugin (ansible/plugins/inventory/generator.py): one host
 * for each combination of the `layers` values (itertools.product, in the layers' order), named
 * by the `hosts.name` template, in the `parents` groups (each named by a template, with
 * templated `vars` and parents of its own). A failure is the plugin's, worded as its Python
 * words it.
 */
export function parseGenerator(builder: InventoryBuilder, config: PyDict, file: string): void {
  try {
    generate(builder, config);
  } catch (err) {
    if (err instanceof PythonError) throw new ValidationError(err.message, { location: { file, line: 1, col: 1 } });
    throw err;
  }
}

function generate(builder: InventoryBuilder, config: PyDict): void {
  const layers = item(config, 'layers');
  if (!(layers instanceof PyDict)) throw new PythonError(`'${pyTypeName(layers)}' object has no attribute 'values'`);
  const hosts = item(config, 'hosts');
  const names = [...layers.keys()];
  for (const combination of product([...layers.values()].map(iterate))) {
    const vars = new PyDict();
    names.forEach((name, index) => vars.set(name, combination[index] ?? null));
    const templar = new Templar({ vars });
    const render = (pattern: PyValue): string => pyStr(templar.template(pattern));
    const host = render(item(hosts, 'name'));
    builder.addHost(host);
    addParents(builder, host, hosts instanceof PyDict ? (hosts.get('parents') ?? []) : [], render);
  }
}

function addParents(builder: InventoryBuilder, child: string, parents: PyValue, render: (pattern: PyValue) => string): void {
  for (const parent of iterate(parents)) {
    const name = item(parent, 'name');
    // Templar.do_template takes text: anything else fails in its len().
    if (typeof name !== 'string' && !Array.isArray(name) && !(name instanceof PyDict)) throw new PythonError(`object of type '${pyTypeName(name)}' has no len()`);
    const group = builder.addGroup(render(name));
    if (!(parent instanceof PyDict)) continue;
    const vars = parent.get('vars');
    if (vars instanceof PyDict) for (const [key, value] of vars) builder.setVariable(group, key, render(value));
    builder.addChild(group, child);
    addParents(builder, group, parent.get('parents') ?? [], render);
  }
}

/** Python's `value[key]` on the configuration: a missing key is a KeyError, whose text is the key's repr. */
function item(value: PyValue, key: string): PyValue {
  if (value instanceof PyDict) {
    const found = value.get(key);
    if (found === undefined) throw new PythonError(`'${key}'`);
    return found;
  }
  if (Array.isArray(value)) throw new PythonError('list indices must be integers or slices, not str');
  if (typeof value === 'string') throw new PythonError("string indices must be integers, not 'str'");
  throw new PythonError(`'${pyTypeName(value)}' object is not subscriptable`);
}

/** itertools.product: every combination, the last list varying fastest. */
function product(lists: PyValue[][]): PyValue[][] {
  return lists.reduce<PyValue[][]>((combinations, values) => combinations.flatMap((combination) => values.map((value) => [...combination, value])), [[]]);
}
