import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ValidationError, type SourceLocation } from '../errors.js';
import { PyFloat, type PyKey, type PyValue } from '../template/values.js';
import { asciiFirst, lazyRegExp } from '../template/unicode_regexp.js';
import { setVariable } from '../vars/combine.js';
import { ancestorsOf, hostNamed, LOCALHOST_NAMES, newGroup, newHost, type Inventory } from './model.js';

/** A warning (Display.warning) or error (Display.error, wrapped) that loading an inventory shows. */
export interface InventoryNotice {
  level: 'warning' | 'error';
  message: string;
}

/**
 * The operations inventory plugins use to fill the model, with Ansible's rules
 * (ansible/inventory/data.py InventoryData): implicit `all`/`ungrouped`, first-source
 * `inventory_file`, no group cycles, and the final reconcile step.
 */
export class InventoryBuilder {
  readonly inventory: Inventory;
  readonly warnings: string[] = [];
  /** The warnings and errors, in the order Ansible's Display shows them while parsing. */
  readonly notices: InventoryNotice[] = [];
  /** The source being parsed; hosts first seen in it get inventory_file/inventory_dir from it. */
  private currentSource: { file: string; dir: string } | undefined;

  /** Starts (or with undefined, ends) parsing one source file or host list. */
  setCurrentSource(source: string | undefined): void {
    this.currentSource = source === undefined ? undefined : { file: source, dir: sourceDir(source) };
  }

  /** A new inventory with `all` and `ungrouped`, or (given one) more changes to a built inventory. */
  constructor(existing?: Inventory) {
    this.inventory = existing ?? { hosts: new Map(), groups: new Map() };
    if (existing) return;
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  /** Records a warning once, as Ansible's Display shows each distinct warning once. */
  warn(message: string): void {
    if (this.warnings.includes(message)) return;
    this.warnings.push(message);
    this.notices.push({ level: 'warning', message });
  }

  /** Records an error Display.error shows while parsing goes on (once, as Display shows it). */
  error(message: string): void {
    if (!this.notices.some((notice) => notice.level === 'error' && notice.message === message)) this.notices.push({ level: 'error', message });
  }

  addGroup(name: string): string {
    if (this.inventory.groups.has(name)) return name;
    // TRANSFORM_INVALID_GROUP_CHARS defaults to 'never': keep the name, warn about it.
    if (invalidGroupChars(name)) {
      this.warn('Invalid characters were found in group names but not replaced, use -vvvv to see details');
    }
    this.inventory.groups.set(name, newGroup(name));
    return name;
  }

  /** Adds a host (once) and, when given, puts it in `group`; a port becomes `ansible_port`. */
  addHost(name: string, group?: string, port?: number, at?: SourceLocation): void {
    if (!name) throw located(`Invalid empty host name provided: ${name}`, at);
    if (group !== undefined && !this.inventory.groups.has(group)) {
      throw located(`Could not find group ${group} in inventory`, at);
    }
    let host = this.inventory.hosts.get(name);
    if (!host) {
      host = newHost(name);
      if (port !== undefined) host.vars.set('ansible_port', port);
      host.vars.set('inventory_file', this.currentSource?.file ?? null);
      host.vars.set('inventory_dir', this.currentSource?.dir ?? null);
      this.inventory.hosts.set(name, host);
      if (LOCALHOST_NAMES.includes(name)) {
        if (this.inventory.localhost === undefined) this.inventory.localhost = host;
        else {
          this.warn(
            `A duplicate localhost-like entry was found (${name}). First found localhost was ${this.inventory.localhost.name}`,
          );
        }
      }
    }
    if (group !== undefined) {
      const members = this.inventory.groups.get(group)?.hosts;
      if (members && !members.includes(name)) members.push(name);
    }
  }

  /** Sets a variable on a group or host; `ansible_group_priority` sets the group's priority. */
  setVariable(entity: string, key: PyKey, value: PyValue, at?: SourceLocation): void {
    const group = this.inventory.groups.get(entity);
    if (group) {
      if (key === 'ansible_group_priority') group.priority = toPriority(value, at);
      else setVariable(group.vars, key, value);
      return;
    }
    const host = this.inventory.hosts.get(entity);
    if (!host) throw located(`Could not identify group or host named ${entity}`, at);
    setVariable(host.vars, key, value);
  }

  /** Makes `child` (a group or a host) a member of `parent`. */
  addChild(parent: string, child: string, at?: SourceLocation): void {
    const parentGroup = this.inventory.groups.get(parent);
    if (!parentGroup) throw located(`${parent} is not a known group`, at);
    const childGroup = this.inventory.groups.get(child);
    if (childGroup) {
      if (parent === child) throw located(`can't add group to itself: ${parent}`, at);
      if (parentGroup.children.includes(child)) return;
      if (ancestorsOf(this.inventory, parent).includes(child)) {
        throw located(`Adding group '${child}' as child to '${parent}' creates a recursive dependency loop.`, at);
      }
      parentGroup.children.push(child);
      if (!childGroup.parents.includes(parent)) childGroup.parents.push(parent);
      return;
    }
    if (this.inventory.hosts.has(child)) {
      this.addHost(child, parent, undefined, at);
      return;
    }
    throw located(`${child} is not a known host nor group`, at);
  }

  /**
   * Ansible's reconcile_inventory: parentless groups join `all`, hosts in no group join
   * `ungrouped`, hosts with a real group leave it; then depths and host group lists. With
   * `link` false (no source was parsed, so Ansible does not reconcile), only the depths and
   * group lists, which Ansible's groups and hosts keep as they are built.
   */
  reconcile(link = true): Inventory {
    const inv = this.inventory;
    if (link) this.linkToAll();
    assignDepths(inv);
    for (const [name, groups] of groupsByHost(inv)) {
      const host = hostNamed(inv, name);
      if (host) host.groups = groups;
    }
    return inv;
  }

  /** Parentless groups join `all`; hosts in no group join `ungrouped`, hosts with a real group leave it. */
  private linkToAll(): void {
    const inv = this.inventory;
    for (const group of inv.groups.values()) {
      if (group.name !== 'all' && ancestorsOf(inv, group.name).length === 0) this.addChild('all', group.name);
    }
    const memberships = groupsByHost(inv);
    const ungrouped = inv.groups.get('ungrouped');
    for (const host of inv.hosts.values()) {
      const groups = memberships.get(host.name) ?? [];
      const real = groups.filter((g) => g !== 'all' && g !== 'ungrouped');
      if (groups.includes('ungrouped') && real.length > 0 && ungrouped) {
        ungrouped.hosts = ungrouped.hosts.filter((h) => h !== host.name);
      } else if (!host.implicit && real.length === 0 && !groups.includes('ungrouped')) {
        this.addChild('ungrouped', host.name);
      }
    }
    for (const name of inv.groups.keys()) {
      if (inv.hosts.has(name)) this.warn(`Found both group and host with same name: ${name}`);
    }
  }
}

// constants.INVALID_VARIABLE_NAMES: `^[\d\W]|[^\w]` with Python's Unicode-aware \w.
const invalidGroupChars = asciiFirst(/^[^A-Za-z0-9_]|^[0-9]|[^A-Za-z0-9_]/, lazyRegExp(() => /^[^\p{L}\p{N}_]|^\p{Nd}|[^\p{L}\p{N}_]/u));
const invalidGroupCharsEverywhere = lazyRegExp(() => /^\p{Nd}|[^\p{L}\p{N}_]/gu);

/**
 * The name with each invalid character made `_`, as the inventory plugins' own
 * to_safe_group_name does (forced and silent, whatever TRANSFORM_INVALID_GROUP_CHARS says).
 */
export function safeGroupName(name: string): string {
  return invalidGroupChars(name) ? name.replace(invalidGroupCharsEverywhere(), '_') : name;
}

/**
 * ansible.utils.path.basedir: the directory itself, a file's directory, and for anything
 * else (a host list) Python's text of None.
 */
function sourceDir(source: string): string {
  try {
    const stat = statSync(source);
    if (stat.isDirectory()) return resolve(source);
    if (stat.isFile()) return resolve(dirname(source));
  } catch {
    // not a path: a host list
  }
  return 'None';
}

/** For each host, every group it is in directly or through a child group. */
function groupsByHost(inv: Inventory): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const group of inv.groups.values()) {
    const lineage = lineageOf(inv, group.name);
    for (const hostName of group.hosts) {
      const list = out.get(hostName) ?? [];
      for (const name of lineage) {
        if (!list.includes(name)) list.push(name);
      }
      out.set(hostName, list);
    }
  }
  return out;
}

/** Every group one host is in, directly or through a child group, in groupsByHost's order. */
export function groupsOfHost(inv: Inventory, hostName: string): string[] {
  const list: string[] = [];
  for (const group of inv.groups.values()) {
    if (!group.hosts.includes(hostName)) continue;
    for (const name of lineageOf(inv, group.name)) if (!list.includes(name)) list.push(name);
  }
  return list;
}

/** A group after its ancestors, roots first: the groups a member of it is in. */
function lineageOf(inv: Inventory, groupName: string): string[] {
  return [...ancestorsOf(inv, groupName).reverse(), groupName];
}

/** A group's depth is its longest distance from a root, as Group.add_child_group keeps it. */
function assignDepths(inv: Inventory): void {
  const memo = new Map<string, number>();
  const depthOf = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const parents = inv.groups.get(name)?.parents ?? [];
    const depth = parents.length === 0 ? 0 : Math.max(...parents.map((p) => depthOf(p) + 1));
    memo.set(name, depth);
    return depth;
  };
  for (const group of inv.groups.values()) group.depth = depthOf(group.name);
}

function toPriority(value: PyValue, at?: SourceLocation): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof PyFloat) return Math.trunc(value.value);
  if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value.trim());
  throw located(`ansible_group_priority must be an integer, got: ${JSON.stringify(value)}`, at);
}

function located(message: string, at?: SourceLocation): ValidationError {
  return new ValidationError(message, at ? { location: at } : {});
}
