import { ValidationError, type SourceLocation } from '../errors.js';
import { pyTypeName } from '../template/python/index.js';
import { PyDict, PyUnsafe, PyVault, type PyKey, type PyValue } from '../template/values.js';
import { keyPositionOf, positionOf, valuePositionOf, type LoadedYaml } from '../yaml/load.js';
import type { InventoryBuilder } from './builder.js';
import { expandHostPattern, HostRangeError } from './host_pattern.js';

/**
 * Ansible's `yaml` inventory plugin (ansible/plugins/inventory/yaml.py): top-level keys are
 * groups, each a mapping (or null) of `hosts`, `vars` and `children`, where children nest
 * the same shape. A section given as a string names a single entry.
 */

/** Reads the groups of a YAML (or JSON, `json`) inventory the yaml plugin accepted. */
export function parseYamlInventory(builder: InventoryBuilder, loaded: LoadedYaml, json = false): void {
  const data = loaded.documents[0];
  if (!(data instanceof PyDict)) return;
  const parser = new YamlInventoryParser(builder, json);
  for (const [name, value] of data) parser.parseGroup(name, value, keyPositionOf(data, name) ?? startOf(loaded));
}

const SECTIONS = ['vars', 'children', 'hosts'] as const;

class YamlInventoryParser {
  constructor(
    private readonly builder: InventoryBuilder,
    private readonly json: boolean,
  ) {}

  parseGroup(name: PyKey, data: PyValue, at: SourceLocation): string {
    if (!(data instanceof PyDict) && data !== null) {
      this.builder.warn(`Skipping '${String(name)}' as this is not a valid group definition`);
      return String(name);
    }
    if (typeof name !== 'string') {
      throw new ValidationError(`Invalid group name supplied, expected a string but got ${describe(name)}`, { location: at });
    }
    if (name === '') throw new ValidationError('Invalid empty/false group name provided', { location: at });
    const group = this.builder.addGroup(name);
    if (data === null) return group;

    for (const section of SECTIONS) {
      const value = data.get(section);
      if (value === undefined || value === null || value instanceof PyDict || typeof value === 'string') continue;
      throw new ValidationError(
        `Invalid "${section}" entry for "${group}" group, requires a dictionary, found "${loadedClassOf(value, this.json)}" instead.`,
        { location: valuePositionOf(data, section) ?? at },
      );
    }
    for (const [key, raw] of data) {
      const keyAt = keyPositionOf(data, key) ?? at;
      // A section given as a bare string names one entry, as if it were `{name: null}`.
      const value = typeof raw === 'string' && isSection(key) ? new PyDict([[raw, null]]) : raw;
      const valueAt = valuePositionOf(data, key) ?? keyAt;
      if (!(value instanceof PyDict) && value !== null) {
        this.builder.warn(
          `Skipping key (${String(key)}) in group (${group}) as it is not a mapping, it is a ${loadedClassOf(value, this.json)}`,
        );
        continue;
      }
      if (value === null) continue;
      if (key === 'vars') this.setVars(group, value, valueAt);
      else if (key === 'children') this.addChildren(group, value, valueAt);
      else if (key === 'hosts') this.addHosts(group, value, valueAt);
      else {
        this.builder.warn(
          `Skipping unexpected key (${String(key)}) in group (${group}), only "vars", "children" and "hosts" are valid`,
        );
      }
    }
    return group;
  }

  private setVars(group: string, vars: PyDict, sectionAt: SourceLocation): void {
    for (const [key, value] of vars) this.builder.setVariable(group, key, value, keyPositionOf(vars, key) ?? sectionAt);
  }

  private addChildren(group: string, children: PyDict, sectionAt: SourceLocation): void {
    for (const [name, value] of children) {
      const at = keyPositionOf(children, name) ?? sectionAt;
      const child = this.parseGroup(name, value, at);
      this.builder.addChild(group, child, at);
    }
  }

  private addHosts(group: string, hosts: PyDict, sectionAt: SourceLocation): void {
    for (const [pattern, value] of hosts) {
      const at = keyPositionOf(hosts, pattern) ?? sectionAt;
      if (typeof pattern !== 'string') {
        throw new ValidationError(
          `Host pattern ${String(pattern)} must be a string. Enclose integers/floats in quotation marks.`,
          { location: at },
        );
      }
      const vars = value ?? new PyDict();
      if (!(vars instanceof PyDict)) {
        throw new ValidationError(`host ${pattern} needs a mapping of variables (or nothing), found ${describe(vars)}`, {
          location: valuePositionOf(hosts, pattern) ?? at,
        });
      }
      let expanded;
      try {
        expanded = expandHostPattern(pattern);
      } catch (err) {
        if (err instanceof HostRangeError) {
          // Ansible shows the range's own error as it is.
          throw new ValidationError(err.message, { location: at });
        }
        throw err;
      }
      for (const name of expanded.names) {
        this.builder.addHost(name, group, expanded.port, at);
        for (const [key, v] of vars) this.builder.setVariable(name, key, v, keyPositionOf(vars, key) ?? at);
      }
    }
  }
}

function isSection(key: PyKey): boolean {
  return typeof key === 'string' && (SECTIONS as readonly string[]).includes(key);
}

function startOf(loaded: LoadedYaml): SourceLocation {
  const data = loaded.documents[0];
  return (data !== undefined ? positionOf(data) : undefined) ?? { file: loaded.file, line: 1, col: 1 };
}

function describe(value: PyValue): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof PyDict) return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number') return 'an integer';
  if (value === null) return 'null';
  return `a ${typeof value === 'object' && 'pyType' in value ? value.pyType : 'float'}`;
}

/**
 * The class Ansible's loader gives a value, as `type(value)` prints it: DataLoader.load tries
 * JSON first, whose values are plain Python types, then YAML, whose are Ansible's own classes.
 */
export function loadedClassOf(value: PyValue, json = false): string {
  if (json) return `<class '${Array.isArray(value) ? 'list' : value instanceof PyDict ? 'dict' : typeof value === 'string' ? 'str' : pyTypeName(value)}'>`;
  if (Array.isArray(value)) return "<class 'ansible.parsing.yaml.objects.AnsibleSequence'>";
  if (value instanceof PyDict) return "<class 'ansible.parsing.yaml.objects.AnsibleMapping'>";
  if (typeof value === 'string') return "<class 'ansible.parsing.yaml.objects.AnsibleUnicode'>";
  if (value instanceof PyUnsafe) return "<class 'ansible.utils.unsafe_proxy.AnsibleUnsafeText'>";
  if (value instanceof PyVault) return "<class 'ansible.parsing.yaml.objects.AnsibleVaultEncryptedUnicode'>";
  return `<class '${pyTypeName(value)}'>`;
}
