import { PyDict } from '../template/values.js';

/**
 * The host/group model Ansible builds from inventory sources (ansible/inventory/data.py,
 * group.py, host.py). Maps keep insertion order, which is the order Ansible lists groups,
 * hosts and children in.
 */
export interface Host {
  name: string;
  /** Variables the inventory sources set on the host (including inventory_file/inventory_dir). */
  vars: PyDict;
  /** Groups the host belongs to, directly or through ancestors. */
  groups: string[];
  /** The implicit localhost that Ansible makes up when `localhost` is referenced but not defined. */
  implicit: boolean;
}

export interface Group {
  name: string;
  vars: PyDict;
  /** Child group names, in the order they were added. */
  children: string[];
  /** Hosts added directly to this group, in the order they were added. */
  hosts: string[];
  parents: string[];
  /** `ansible_group_priority`: orders groups of equal depth when merging their vars. */
  priority: number;
  /** Longest distance from `all`; deeper groups' vars override shallower ones. */
  depth: number;
}

export interface Inventory {
  hosts: Map<string, Host>;
  groups: Map<string, Group>;
  /**
   * What `localhost` resolves to when no host has that exact name: the first localhost-like
   * host the sources defined, else an implicit one made on first reference (never in `all`).
   */
  localhost?: Host;
}

/** Names Ansible treats as the local machine (constants.LOCALHOST). */
export const LOCALHOST_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

/**
 * Where Ansible names its own interpreter (sys.executable: the implicit localhost's
 * ansible_python_interpreter, `ansible_playbook_python`): fleet has no Python of its own, so
 * it names the system interpreter Debian's ansible-core runs with.
 */
export const CONTROLLER_PYTHON = '/usr/bin/python3';

export function newGroup(name: string): Group {
  return { name, vars: new PyDict(), children: [], hosts: [], parents: [], priority: 1, depth: 0 };
}

export function newHost(name: string): Host {
  return { name, vars: new PyDict(), groups: [], implicit: false };
}

/** The host of that name, or Ansible's implicit localhost for a localhost-like name. */
export function getHost(inv: Inventory, name: string): Host | undefined {
  const host = inv.hosts.get(name);
  if (host || !LOCALHOST_NAMES.includes(name)) return host;
  if (!inv.localhost) {
    const local = newHost(name);
    local.implicit = true;
    local.vars.set('ansible_python_interpreter', CONTROLLER_PYTHON);
    local.vars.set('ansible_connection', 'local');
    inv.localhost = local;
  }
  return inv.localhost;
}

/** An inventory host, or the implicit localhost once a group holds it (group_by on localhost). */
export function hostNamed(inv: Inventory, name: string): Host | undefined {
  return inv.hosts.get(name) ?? (inv.localhost?.name === name ? inv.localhost : undefined);
}

/** Group and all its descendants, breadth first, itself first (Group.get_descendants). */
export function groupAndDescendants(inv: Inventory, name: string): Group[] {
  const ordered: Group[] = [];
  const seen = new Set<string>();
  let level = [name];
  while (level.length > 0) {
    const next: string[] = [];
    for (const groupName of level) {
      if (seen.has(groupName)) continue;
      seen.add(groupName);
      const group = inv.groups.get(groupName);
      if (!group) continue;
      ordered.push(group);
      next.push(...group.children);
    }
    level = next;
  }
  return ordered;
}

/** Every host in a group or its descendants, without duplicates; `all` never lists the implicit localhost (Group.get_hosts). */
export function hostsOfGroup(inv: Inventory, name: string): Host[] {
  const out: Host[] = [];
  const seen = new Set<string>();
  for (const group of groupAndDescendants(inv, name)) {
    for (const hostName of group.hosts) {
      if (seen.has(hostName)) continue;
      seen.add(hostName);
      const host = hostNamed(inv, hostName);
      if (host && !(host.implicit && name === 'all')) out.push(host);
    }
  }
  return out;
}

/** All ancestors of a group (parents, their parents, …), nearest first. */
export function ancestorsOf(inv: Inventory, name: string): string[] {
  const out: string[] = [];
  let level = inv.groups.get(name)?.parents ?? [];
  while (level.length > 0) {
    const next: string[] = [];
    for (const parent of level) {
      if (out.includes(parent)) continue;
      out.push(parent);
      next.push(...(inv.groups.get(parent)?.parents ?? []));
    }
    level = next;
  }
  return out;
}
