import { dirname } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { ValidationError } from '../errors.js';
import { pyTruthy, PyUndefinedError } from '../template/python/index.js';
import { pyStr, pyTypeName } from '../template/python/str.js';
import { Templar } from '../template/templar.js';
import { PyDict, PyFloat, type PyValue } from '../template/values.js';
import { combineVars } from '../vars/combine.js';
import { loadGroupVars, loadHostVars } from '../vars/host_group_vars.js';
import { groupsOfHost, safeGroupName, type InventoryBuilder } from './builder.js';
import type { CachedFacts, FileParseContext } from './file_plugins.js';
import type { Group } from './model.js';
import { hostMagicVars, sortGroups } from './variables.js';

/** The names a `plugin:` key gives the constructed plugin. */
export const CONSTRUCTED_NAMES = ['constructed', 'ansible.builtin.constructed'];

/**
 * Ansible's `constructed` inventory plugin (ansible/plugins/inventory/constructed.py with the
 * Constructable helpers): for every host already in the inventory, `compose` sets variables
 * from Jinja2 expressions, `groups` adds the host to each group whose conditional holds, and
 * `keyed_groups` to groups named after a variable's value. The variables are the host's
 * groups' and its own inventory variables with inventory_hostname, inventory_hostname_short and
 * group_names, with `use_vars_plugins` the group_vars/host_vars next to the sources parsed
 * before, and the host's facts in the fact cache, as the cache holds them. A failure is the plugin's parse error (`failed to parse …`).
 */
export function parseConstructed(builder: InventoryBuilder, config: PyDict, file: string, context: Pick<FileParseContext, 'processedSources' | 'cachedFacts'>): void {
  const options = constructedOptions(config, file);
  const at = { file, line: 1, col: 1 };
  try {
    new Constructor(builder, options, context.processedSources, context.cachedFacts).run();
  } catch (err) {
    if (!(err instanceof ConstructedError)) throw err;
    // AnsibleParserError("failed to parse %s: %s " % (path, e), orig_exc=e): the reason shows twice.
    throw new ValidationError(`failed to parse ${file}: ${err.message} . ${err.message}`, { location: at });
  }
}

interface ConstructedOptions {
  strict: boolean;
  compose: PyDict;
  groups: PyDict;
  keyedGroups: PyValue[];
  leadingSeparator: boolean;
  useVarsPlugins: boolean;
}

/** An error inside the plugin's parse, which Ansible wraps in "failed to parse …". */
class ConstructedError extends Error {}

/** The options as set_options checks them (config.manager.ensure_type), with the plugin's defaults. */
function constructedOptions(config: PyDict, file: string): ConstructedOptions {
  const at = { file, line: 1, col: 1 };
  const invalid = (name: string, kind: string, value: PyValue): ValidationError =>
    new ValidationError(
      `Invalid type for configuration option plugin_type: inventory plugin: constructed setting: ${name} (from Direct): Invalid type provided for "${kind}": ${pyStr(value)}`,
      { location: at },
    );
  const dict = (name: string): PyDict => {
    const value = config.get(name) ?? null;
    if (value === null) return new PyDict();
    if (!(value instanceof PyDict)) throw invalid(name, 'dictionary', value);
    return value;
  };
  const list = (name: string): PyValue[] => {
    const value = config.get(name) ?? null;
    if (value === null) return [];
    if (typeof value === 'string') return value.split(',');
    if (!Array.isArray(value)) throw invalid(name, 'list', value);
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const value = config.get(name);
    return value === undefined || value === null ? fallback : lenientBoolean(value);
  };
  if (bool('use_extra_vars', false)) {
    throw new ValidationError("fleet's constructed inventory plugin does not take use_extra_vars", { location: at });
  }
  return {
    strict: bool('strict', false),
    compose: dict('compose'),
    groups: dict('groups'),
    keyedGroups: list('keyed_groups'),
    leadingSeparator: bool('leading_separator', true),
    useVarsPlugins: bool('use_vars_plugins', false),
  };
}

/** module_utils' boolean(value, strict=False). */
function lenientBoolean(value: PyValue): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1;
  if (value instanceof PyFloat) return value.value === 1;
  if (typeof value === 'string') return ['y', 'yes', 'on', '1', 'true', 't'].includes(value.trim().toLowerCase());
  return false;
}

class Constructor {
  private readonly varsDirs: string[];

  constructor(
    private readonly builder: InventoryBuilder,
    private readonly options: ConstructedOptions,
    processedSources: readonly string[],
    private readonly cachedFacts: CachedFacts,
  ) {
    this.varsDirs = options.useVarsPlugins ? processedSources.filter((source) => !source.includes(',') || existsSync(source)).map(varsDirOf) : [];
  }

  run(): void {
    for (const host of [...this.builder.inventory.hosts.keys()]) {
      this.compose(host, new Templar({ vars: this.hostVariables(host) }));
      // Again, with the variables compose set.
      const templar = new Templar({ vars: this.hostVariables(host) });
      this.addToComposedGroups(host, templar);
      this.addToKeyedGroups(host, templar);
    }
  }

  /** get_all_host_vars: the host's groups' variables, then its own with the magic ones. */
  private hostVariables(hostName: string): PyDict {
    const inventory = this.builder.inventory;
    const host = inventory.hosts.get(hostName);
    if (!host) return new PyDict();
    const groupNames = groupsOfHost(inventory, hostName);
    const groups = groupNames.flatMap((name): Group[] => {
      const group = inventory.groups.get(name);
      return group ? [group] : [];
    });
    let groupVars = new PyDict();
    for (const group of sortGroups(groups)) groupVars = combineVars(groupVars, group.vars);
    for (const dir of this.varsDirs) for (const name of groupNames) groupVars = combineVars(groupVars, loadGroupVars(dir, name));
    let hostVars = combineVars(host.vars, hostMagicVars(host, groupNames));
    for (const dir of this.varsDirs) hostVars = combineVars(hostVars, loadHostVars(dir, hostName));
    const facts = this.cachedFacts(hostName);
    return facts ? combineVars(combineVars(groupVars, hostVars), facts) : combineVars(groupVars, hostVars);
  }

  /** Constructable._compose: the expression as a `{{ }}` template, with lookups disabled. */
  private evaluate(expression: PyValue, templar: Templar): PyValue {
    return templar.template(`{{${pyStr(expression)}}}`, { disableLookups: true });
  }

  private compose(host: string, templar: Templar): void {
    for (const [name, expression] of this.options.compose) {
      let value: PyValue;
      try {
        value = this.evaluate(expression, templar);
      } catch (err) {
        if (this.options.strict) throw new ConstructedError(`Could not set ${pyStr(name)} for host ${host}: ${reason(err)}`);
        continue;
      }
      this.builder.setVariable(host, name, value);
    }
  }

  private addToComposedGroups(host: string, templar: Templar): void {
    for (const [name, condition] of this.options.groups) {
      const group = safeGroupName(pyStr(name));
      let holds: boolean;
      try {
        holds = pyStr(templar.template(`{% if ${pyStr(condition)} %} True {% else %} False {% endif %}`)).trim() === 'True';
      } catch (err) {
        if (this.options.strict) throw new ConstructedError(`Could not add host ${host} to group ${group}: ${reason(err)}`);
        continue;
      }
      if (!holds) continue;
      this.builder.addGroup(group);
      this.builder.addChild(group, host);
    }
  }

  private addToKeyedGroups(host: string, templar: Templar): void {
    for (const keyed of this.options.keyedGroups) {
      if (!(keyed instanceof PyDict) || !pyTruthy(keyed)) throw new ConstructedError(`Invalid keyed group entry, it must be a dictionary: ${pyStr(keyed)} `);
      let key: PyValue;
      try {
        key = this.evaluate(keyed.get('key') ?? null, templar);
      } catch (err) {
        if (this.options.strict) throw new ConstructedError(`Could not generate group for host ${host} from ${pyStr(keyed.get('key') ?? null)} entry: ${reason(err)}`);
        continue;
      }
      const defaultValue = keyed.get('default_value') ?? null;
      const trailingSeparator = keyed.get('trailing_separator') ?? null;
      if (trailingSeparator !== null && defaultValue !== null) {
        throw new ConstructedError('parameters are mutually exclusive for keyed groups: default_value|trailing_separator');
      }
      if (!pyTruthy(key) && !(key === '' && defaultValue !== null)) {
        const emptyContainer = (Array.isArray(key) && key.length === 0) || (key instanceof PyDict && key.size === 0);
        if (this.options.strict && !emptyContainer) throw new ConstructedError(`No key or key resulted empty for ${pyStr(keyed.get('key') ?? null)} in host ${host}, invalid entry`);
        continue;
      }
      const prefix = pyStr(keyed.get('prefix') ?? '');
      let separator = pyStr(keyed.get('separator') ?? '_');
      let parent = keyed.get('parent_group') ?? null;
      if (pyTruthy(parent)) {
        try {
          parent = templar.template(parent);
        } catch (err) {
          if (this.options.strict) throw new ConstructedError(`Could not generate parent group ${pyStr(parent)} for group ${pyStr(key)}: ${reason(err)}`);
          continue;
        }
      }
      for (const bare of this.keyedNames(key, separator, defaultValue, trailingSeparator)) {
        if (prefix === '' && this.options.leadingSeparator === false) separator = '';
        const group = this.builder.addGroup(safeGroupName(`${prefix}${separator}${bare}`));
        this.builder.addHost(host, group);
        if (pyTruthy(parent)) {
          const parentGroup = this.builder.addGroup(safeGroupName(pyStr(parent)));
          this.builder.addChild(parentGroup, group);
        }
      }
    }
  }

  /** The bare group names a key's value gives: a string, each item of a list, each `name<sep>value` of a mapping. */
  private keyedNames(key: PyValue, separator: string, defaultValue: PyValue, trailingSeparator: PyValue): string[] {
    const orDefault = (name: PyValue): string => pyStr(name === '' && defaultValue !== null ? defaultValue : name);
    if (typeof key === 'string') return [orDefault(key)];
    if (Array.isArray(key)) return key.map(orDefault);
    if (key instanceof PyDict) {
      return [...key].map(([name, value]) => {
        if (value !== '') return `${pyStr(name)}${separator}${pyStr(value)}`;
        if (defaultValue !== null) return `${pyStr(name)}${separator}${pyStr(defaultValue)}`;
        return trailingSeparator === false ? pyStr(name) : `${pyStr(name)}${separator}`;
      });
    }
    throw new ConstructedError(`Invalid group name format, expected a string or a list of them or dictionary, got: <class '${pyTypeName(key)}'>`);
  }
}

/** to_native of the templating error: an undefined variable's as AnsibleUndefinedVariable words it. */
function reason(err: unknown): string {
  if (err instanceof PyUndefinedError) return err.ansibleText;
  return err instanceof Error ? err.message : String(err);
}

/** Where host_group_vars looks for a parsed source's group_vars/host_vars: the directory itself, or a file's directory. */
function varsDirOf(source: string): string {
  try {
    if (statSync(source).isDirectory()) return source;
  } catch {
    // a source that is gone: its directory, as os.path.dirname gives it
  }
  return dirname(source);
}
