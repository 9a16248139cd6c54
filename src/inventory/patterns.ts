import { existsSync, readFileSync, statSync } from 'node:fs';
import { FleetError, ValidationError } from '../errors.js';
import { pyCompare } from '../template/python/index.js';
import { parseAddress } from './address.js';
import { globToRegExp, pythonRegExp } from './fnmatch.js';
import { getHost, hostsOfGroup, LOCALHOST_NAMES, type Host, type Inventory } from './model.js';

/**
 * Host patterns and `--limit` as Ansible's InventoryManager evaluates them
 * (ansible/inventory/manager.py): `a:b`/`a,b` union, `&b` intersection, `!b` exclusion
 * (applied in that order, whatever the order written), globs, `~regex`, and subscripts
 * `group[0]`, `group[1:3]`, `group[-1]`. Results keep inventory order without duplicates.
 */

// `group[1]`, `group[-1]`, `group[1:3]`, `group[1:]`, and the removed `group[1-3]`.
const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/s;
const SPLIT_ON_COLONS = /(?:[^\s:[\]]|\[[^\]]*\])+/g;

/** The failure Ansible reports when a pattern or limit leaves nothing to run on. */
export const NO_HOSTS_TO_TARGET = 'Specified inventory, host pattern and/or --limit leaves us with no hosts to target.';

/** Splits `a,b` or `a:b:&c` into single patterns (split_host_pattern). */
export function splitHostPattern(pattern: string | string[]): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap(splitHostPattern);
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern, true)) parts = [pattern];
  else parts = pattern.match(SPLIT_ON_COLONS) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Plain patterns first, then `&` intersections, then `!` exclusions; no plain pattern means `all`. */
function orderPatterns(patterns: string[]): string[] {
  const regular = patterns.filter((p) => p && p[0] !== '!' && p[0] !== '&');
  const intersect = patterns.filter((p) => p[0] === '&');
  const exclude = patterns.filter((p) => p[0] === '!');
  return [...(regular.length > 0 ? regular : ['all']), ...intersect, ...exclude];
}

/** HOST_PATTERN_MISMATCH's choices, in base.yml's order. */
export const PATTERN_MISMATCH_CHOICES = ['error', 'warning', 'ignore'] as const;
export type PatternMismatch = (typeof PATTERN_MISMATCH_CHOICES)[number];

export class HostSelector {
  private subset: string[] | undefined;
  private readonly cache = new Map<string, Host[]>();

  constructor(
    private readonly inventory: Inventory,
    private readonly warn: (message: string) => void = () => {},
    /** HOST_PATTERN_MISMATCH: what a pattern that matches nothing does. */
    private readonly onMismatch: PatternMismatch = 'warning',
  ) {}

  /** Forgets what patterns matched, after group membership changed (group_by). */
  forget(): void {
    this.cache.clear();
  }

  /** `--limit`: later selections keep only hosts the limit also matches. `@file` reads one pattern a line. */
  setLimit(limit: string | undefined): void {
    if (limit === undefined) {
      this.subset = undefined;
      return;
    }
    const patterns: string[] = [];
    for (const part of splitHostPattern(limit)) {
      if (part[0] !== '@') {
        patterns.push(part);
        continue;
      }
      const file = part.slice(1);
      if (!existsSync(file)) throw new FleetError(`Unable to find limit file b'${file}'`);
      if (!statSync(file).isFile()) throw new FleetError(`Limit starting with "@" must be a file, not a directory: b'${file}'`);
      patterns.push(...readFileSync(file, 'utf8').split('\n').map((line) => line.trim()));
    }
    this.subset = patterns;
  }

  /**
   * The hosts a pattern (or list of patterns) selects, within the limit (get_hosts), in a
   * play's `order`: inventory (default), reverse_inventory, sorted, reverse_sorted, shuffle.
   */
  getHosts(pattern: string | string[] = 'all', order?: string): Host[] {
    let hosts = this.evaluate(splitHostPattern(pattern));
    if (this.subset) {
      const allowed = new Set(this.evaluate(this.subset));
      hosts = hosts.filter((h) => allowed.has(h));
    }
    return orderHosts([...new Set(hosts)], order);
  }

  /** Host names for a pattern; a bare localhost name stands for itself (list_hosts). */
  listHosts(pattern = 'all'): string[] {
    const names = this.getHosts(pattern).map((h) => h.name);
    return names.length === 0 && LOCALHOST_NAMES.includes(pattern) ? [pattern] : names;
  }

  /**
   * The hosts a run targets, with ansible-playbook's checks (CLI.get_host_list): an empty
   * inventory warns (unless LOCALHOST_WARNING is off), and a pattern/limit that matches
   * nothing in a non-empty one fails.
   */
  hostsForRun(limit: string | undefined, pattern = 'all', localhostWarning = true): string[] {
    let noHosts = false;
    this.setLimit(undefined);
    if (this.listHosts().length === 0) {
      if (localhostWarning && !LOCALHOST_NAMES.includes(pattern)) {
        this.warn(
          "provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'",
        );
      }
      noHosts = true;
    }
    this.setLimit(limit);
    const hosts = this.listHosts(pattern);
    if (hosts.length === 0 && !noHosts) throw new ValidationError(NO_HOSTS_TO_TARGET);
    return hosts;
  }

  private evaluate(patterns: string[]): Host[] {
    let hosts: Host[] = [];
    for (const p of orderPatterns(patterns)) {
      const exact = this.inventory.hosts.get(p);
      if (exact) {
        hosts.push(exact);
        continue;
      }
      const matched = this.matchOne(p);
      if (p[0] === '!') {
        const drop = new Set(matched);
        hosts = hosts.filter((h) => !drop.has(h));
      } else if (p[0] === '&') {
        const keep = new Set(matched);
        hosts = hosts.filter((h) => keep.has(h));
      } else {
        const existing = new Set(hosts.map((h) => h.name));
        hosts.push(...matched.filter((h) => !existing.has(h.name)));
      }
    }
    return hosts;
  }

  private matchOne(patternWithPrefix: string): Host[] {
    const pattern = patternWithPrefix[0] === '&' || patternWithPrefix[0] === '!' ? patternWithPrefix.slice(1) : patternWithPrefix;
    const cached = this.cache.get(pattern);
    if (cached) return cached;
    const { expr, subscript } = splitSubscript(pattern, this.warn);
    const hosts = applySubscript(this.enumerate(expr), subscript, pattern);
    this.cache.set(pattern, hosts);
    return hosts;
  }

  private enumerate(pattern: string): Host[] {
    const regex = compilePattern(pattern);
    const results: Host[] = [];
    const groups = [...this.inventory.groups.keys()].filter((name) => regex.test(name));
    for (const name of groups) results.push(...hostsOfGroup(this.inventory, name));
    if (groups.length === 0 || pattern[0] === '~' || /[.?*[]/.test(pattern)) {
      for (const host of this.inventory.hosts.values()) if (regex.test(host.name)) results.push(host);
    }
    if (results.length === 0 && LOCALHOST_NAMES.includes(pattern)) {
      const implicit = getHost(this.inventory, pattern);
      if (implicit) results.push(implicit);
    }
    if (results.length === 0 && groups.length === 0 && pattern !== 'all') {
      const message = `Could not match supplied host pattern, ignoring: ${pattern}`;
      if (this.onMismatch === 'error') throw new FleetError(message);
      if (this.onMismatch === 'warning') this.warn(message);
    }
    return results;
  }
}

function orderHosts(hosts: Host[], order: string | undefined): Host[] {
  switch (order) {
    case undefined:
    case 'inventory':
      return hosts;
    case 'reverse_inventory':
      return [...hosts].reverse();
    case 'sorted':
      return [...hosts].sort((a, b) => pyCompare(a.name, b.name));
    case 'reverse_sorted':
      return [...hosts].sort((a, b) => pyCompare(b.name, a.name));
    case 'shuffle':
      return shuffled(hosts);
    default:
      throw new ValidationError(`Invalid 'order' specified for inventory hosts: ${order}`);
  }
}

/** Fisher–Yates, as random.shuffle does it. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function compilePattern(pattern: string): RegExp {
  try {
    return pattern[0] === '~' ? pythonRegExp(pattern.slice(1)) : globToRegExp(pattern);
  } catch (cause) {
    throw new ValidationError(`Invalid host list pattern: ${pattern}`, { cause });
  }
}

type Subscript = { start: number; end?: number } | undefined;

function splitSubscript(pattern: string, warn: (message: string) => void): { expr: string; subscript: Subscript } {
  if (pattern[0] === '~') return { expr: pattern, subscript: undefined };
  const m = SUBSCRIPT.exec(pattern);
  if (!m) return { expr: pattern, subscript: undefined };
  const [, expr = '', index, start, sep, end] = m;
  if (index !== undefined) return { expr, subscript: { start: Number(index) } };
  if (sep === '-') warn('Use [x:y] inclusive subscripts instead of [x-y] which has been removed');
  return { expr, subscript: { start: Number(start), end: end ? Number(end) : -1 } };
}

/** Python's `hosts[start]` / `hosts[start:end + 1]`, where an end of -1 means "to the last". */
function applySubscript(hosts: Host[], subscript: Subscript, pattern: string): Host[] {
  if (hosts.length === 0 || !subscript) return hosts;
  const { start, end } = subscript;
  if (end) {
    const last = end === -1 ? hosts.length - 1 : end;
    return pySlice(hosts, start, last + 1);
  }
  const index = start < 0 ? hosts.length + start : start;
  const host = hosts[index];
  if (index < 0 || !host) throw new ValidationError(`No hosts matched the subscripted pattern '${pattern}'`);
  return [host];
}

function pySlice<T>(items: T[], start: number, stop: number): T[] {
  const norm = (i: number): number => (i < 0 ? Math.max(0, items.length + i) : Math.min(i, items.length));
  return items.slice(norm(start), norm(stop));
}
