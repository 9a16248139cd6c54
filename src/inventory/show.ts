import { factsLayer } from '../facts/facts_layer.js';
import { wrapUnsafe } from '../template/runtime/concat.js';
import type { CachedFacts } from './file_plugins.js';
import { ValidationError } from '../errors.js';
import { jsonDumps } from '../output/pyjson.js';
import { dumpYaml } from '../template/filters/yaml/dump.js';
import { pyCompare, pyStr } from '../template/python/index.js';
import { PyDict, PyTuple, PyUnsafe, PyVault, type PyValue } from '../template/values.js';
import type { Group, Host, Inventory } from './model.js';
import { combineVars } from '../vars/combine.js';
import { loadHostVars } from '../vars/host_group_vars.js';
import { HostSelector } from './patterns.js';
import { groupVarsFromInventory, hostVarsFromInventory, type InventoryVarsOptions } from './variables.js';

/**
 * What `ansible-inventory` prints (ansible/cli/inventory.py) for --list, --host and
 * --graph, from an already loaded inventory.
 */

// Variables ansible-inventory leaves out because Ansible itself sets them (INTERNAL_VARS).
const INTERNAL_VARS = new Set([
  'ansible_diff_mode',
  'ansible_config_file',
  'ansible_facts',
  'ansible_forks',
  'ansible_inventory_sources',
  'ansible_limit',
  'ansible_playbook_python',
  'ansible_run_tags',
  'ansible_skip_tags',
  'ansible_verbosity',
  'ansible_version',
  'inventory_dir',
  'inventory_file',
  'inventory_hostname',
  'inventory_hostname_short',
  'groups',
  'group_names',
  'omit',
  'playbook_dir',
]);

/** `--host`/`--list` selection problems ansible-inventory reports as option errors (exit 5). */
export class InventoryOptionError extends ValidationError {}

export interface ShowOptions {
  vars: InventoryVarsOptions;
  /** Whether --playbook-dir was given: only then do group vars and --export read its group_vars/host_vars. */
  playbookDirGiven: boolean;
  yaml: boolean;
  /** --export: each host's own vars and files only, and group vars written on the groups. */
  export: boolean;
  /** `-e` values: the highest layer of each host's variables (ignored by --export). */
  extraVars?: PyDict;
  /** A host's facts in the fact cache: a layer of its variables (ignored by --export). */
  cachedFacts?: CachedFacts;
  warn: (message: string) => void;
}

export function showHost(inv: Inventory, pattern: string, options: ShowOptions): string {
  const hosts = new HostSelector(inv, options.warn).getHosts(pattern);
  const host = hosts[0];
  if (hosts.length !== 1 || !host) throw new InventoryOptionError('You must pass a single valid host to --host parameter');
  return dump(hostVariables(inv, host, options), options.yaml, options.warn);
}

export function showList(inv: Inventory, options: ShowOptions): string {
  const all = inv.groups.get('all');
  if (!all) return dump(new PyDict(), options.yaml, options.warn);
  const data = options.yaml ? yamlInventory(inv, all, options) : jsonInventory(inv, all, options);
  return dump(data, options.yaml, options.warn);
}

export function showGraph(inv: Inventory, groupName: string, showVars: boolean, options: ShowOptions): string {
  const start = inv.groups.get(groupName);
  if (!start) throw new InventoryOptionError('Pattern must be valid group name when using --graph');
  return graphGroup(inv, start, 0, showVars, options).join('\n');
}

function hostVariables(inv: Inventory, host: Host, options: ShowOptions): PyDict {
  if (!options.export) {
    let vars = hostVarsFromInventory(inv, host, options.vars);
    const facts = options.cachedFacts?.(host.name);
    // get_vars wraps the cached facts (wrap_var): each string shows as unsafe.
    if (facts) vars = combineVars(vars, factsLayer(wrapUnsafe(facts) as PyDict));
    return withoutInternal(options.extraVars ? combineVars(vars, options.extraVars) : vars);
  }
  let vars = new PyDict(host.vars);
  for (const dir of [...options.vars.inventoryDirs, ...explicitPlaybookDirs(options)]) {
    vars = combineVars(vars, loadHostVars(dir, host.name, options.warn));
  }
  return withoutInternal(vars);
}

/** What `_get_group_variables` shows: the group's vars, its group_vars files, a non-default priority. */
function groupVariables(group: Group, options: ShowOptions): PyDict {
  return withoutInternal(groupVarsFromInventory(group, { ...options.vars, playbookDirs: explicitPlaybookDirs(options) }));
}

/** Group listings and --export read the playbook directory only when --playbook-dir named it. */
function explicitPlaybookDirs(options: ShowOptions): string[] {
  return options.playbookDirGiven ? (options.vars.playbookDirs ?? []) : [];
}

function withoutInternal(vars: PyDict): PyDict {
  const out = new PyDict();
  for (const [k, v] of vars) if (typeof k !== 'string' || !INTERNAL_VARS.has(k)) out.set(k, v);
  return out;
}

function jsonInventory(inv: Inventory, all: Group, options: ShowOptions): PyDict {
  const seen = new Set<string>();
  const formatGroup = (group: Group): PyDict => {
    const results = new PyDict();
    const entry = new PyDict();
    results.set(group.name, entry);
    if (group.name !== 'all') entry.set('hosts', [...group.hosts]);
    entry.set('children', [...group.children]);
    for (const child of group.children) {
      const subgroup = inv.groups.get(child);
      if (subgroup && !seen.has(child)) {
        for (const [k, v] of formatGroup(subgroup)) results.set(k, v);
        seen.add(child);
      }
    }
    if (options.export) entry.set('vars', groupVariables(group, options));
    removeEmpty(entry);
    if (entry.size === 0) results.delete(group.name);
    return results;
  };
  const results = formatGroup(all);
  const hostvars = new PyDict();
  for (const host of new HostSelector(inv, options.warn).getHosts()) {
    const vars = hostVariables(inv, host, options);
    if (vars.size > 0) hostvars.set(host.name, vars);
  }
  results.set('_meta', new PyDict([['hostvars', hostvars]]));
  return results;
}

function yamlInventory(inv: Inventory, all: Group, options: ShowOptions): PyDict {
  const seen = new Set<string>();
  const formatGroup = (group: Group): PyDict => {
    const entry = new PyDict();
    const children = new PyDict();
    for (const child of group.children) {
      const subgroup = inv.groups.get(child);
      if (subgroup && child !== 'all') for (const [k, v] of formatGroup(subgroup)) children.set(k, v);
    }
    entry.set('children', children);
    const hosts = new PyDict();
    if (group.name !== 'all') {
      for (const name of group.hosts) {
        const host = inv.hosts.get(name);
        // Each host's variables are written once, under the first group that lists it.
        if (host && !seen.has(name)) {
          seen.add(name);
          hosts.set(name, hostVariables(inv, host, options));
        } else hosts.set(name, new PyDict());
      }
    }
    entry.set('hosts', hosts);
    if (options.export) {
      const vars = groupVariables(group, options);
      if (vars.size > 0) entry.set('vars', vars);
    }
    removeEmpty(entry);
    return new PyDict([[group.name, entry]]);
  };
  return formatGroup(all);
}

function removeEmpty(entry: PyDict): void {
  for (const key of ['hosts', 'vars', 'children']) {
    const value = entry.get(key);
    if ((Array.isArray(value) && value.length === 0) || (value instanceof PyDict && value.size === 0)) entry.delete(key);
  }
}

function graphGroup(inv: Inventory, group: Group, depth: number, showVars: boolean, options: ShowOptions): string[] {
  const result = [graphName(`@${group.name}:`, depth)];
  const inner = depth + 1;
  for (const child of group.children) {
    const subgroup = inv.groups.get(child);
    if (subgroup) result.push(...graphGroup(inv, subgroup, inner, showVars, options));
  }
  if (group.name !== 'all') {
    for (const name of group.hosts) {
      result.push(graphName(name, inner));
      const host = inv.hosts.get(name);
      if (showVars && host) result.push(...graphVars(hostVariables(inv, host, options), inner + 1));
    }
  }
  if (showVars) result.push(...graphVars(groupVariables(group, options), inner));
  return result;
}

function graphVars(vars: PyDict, depth: number): string[] {
  return [...vars]
    .sort(([a], [b]) => pyCompare(a, b))
    .map(([k, v]) => graphName(`{${pyStr(k)} = ${pyStr(v)}}`, depth));
}

function graphName(name: string, depth: number): string {
  return depth ? `${'  |'.repeat(depth)}--${name}` : name;
}

/**
 * JSON as ansible-inventory writes it (sorted keys, indent 4, unsafe/vault values tagged), or
 * YAML. Keys Python cannot order (`2` next to `'a'`) make it write every mapping unsorted.
 */
function dump(value: PyDict, yaml: boolean, warn: (message: string) => void): string {
  if (yaml) return dumpYaml(value, { defaultFlowStyle: false });
  const tagged = tagAnsibleTypes(value);
  const unorderable = firstUnorderableKeys(tagged);
  if (unorderable) {
    warn(`Could not sort JSON output due to issues while sorting keys: ${unorderable}`);
    return jsonDumps(tagged, { sortKeys: false, indent: 4, ensureAscii: false });
  }
  return jsonDumps(tagged, { sortKeys: true, indent: 4, ensureAscii: false });
}

/** Python's TypeError text for the first pair of keys `sorted()` would fail to compare, if any. */
function firstUnorderableKeys(value: PyValue): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstUnorderableKeys(item);
      if (found) return found;
    }
    return undefined;
  }
  if (!(value instanceof PyDict)) return undefined;
  const keys = [...value.keys()];
  // sorted() starts by comparing each key with the one before it (timsort's first run).
  for (let i = 1; i < keys.length; i++) {
    try {
      pyCompare(keys[i] ?? null, keys[i - 1] ?? null);
    } catch (err) {
      if (err instanceof Error) return err.message;
      throw err;
    }
  }
  for (const item of value.values()) {
    const found = firstUnorderableKeys(item);
    if (found) return found;
  }
  return undefined;
}

/** AnsibleJSONEncoder(preprocess_unsafe=True): `!unsafe` and `!vault` values become tagged objects. */
function tagAnsibleTypes(value: PyValue): PyValue {
  if (value instanceof PyUnsafe) return new PyDict([['__ansible_unsafe', value.value]]);
  if (value instanceof PyVault) return new PyDict([['__ansible_vault', value.ciphertext]]);
  if (Array.isArray(value)) return value.map(tagAnsibleTypes);
  if (value instanceof PyTuple) return value.items.map(tagAnsibleTypes);
  if (value instanceof PyDict) {
    const out = new PyDict();
    for (const [k, v] of value) out.set(k, tagAnsibleTypes(v));
    return out;
  }
  return value;
}
