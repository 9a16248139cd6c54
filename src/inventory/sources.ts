import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { FleetError, ValidationError } from '../errors.js';
import { parseAddress } from './address.js';
import { InventoryBuilder, type InventoryNotice } from './builder.js';
import { parseInventoryFile, type CachedFacts, type PluginFailure } from './file_plugins.js';
import type { Inventory } from './model.js';

/** InventoryManager's warning when no source was parsed (INVENTORY_UNPARSED_WARNING). */
export const NO_INVENTORY_PARSED = 'No inventory was parsed, only implicit localhost is available';

/**
 * The settings that shape loading: what Ansible does about sources it could not parse
 * (INVENTORY_UNPARSED_WARNING, INVENTORY_UNPARSED_IS_FAILED, INVENTORY_ANY_UNPARSED_IS_FAILED),
 * and whether an inventory script's stderr is shown after it succeeds (the script plugin's
 * always_show_stderr).
 */
export interface InventoryPolicy {
  warn: boolean;
  noneParsedFails: boolean;
  anyUnparsedFails: boolean;
  showScriptStderr: boolean;
}

export const ANSIBLE_INVENTORY_POLICY: InventoryPolicy = { warn: true, noneParsedFails: false, anyUnparsedFails: false, showScriptStderr: true };

/** Ansible's AnsibleError for an unparsed inventory under one of the *_IS_FAILED settings, with the warnings and errors shown before it. */
export class InventoryUnparsedError extends FleetError {
  constructor(
    message: string,
    readonly notices: InventoryNotice[],
  ) {
    super(message);
  }
}

/** A source no plugin parsed, and why each plugin that tried it failed. */
export interface UnparsedSource {
  source: string;
  failures: PluginFailure[];
}

/**
 * What best explains why a source was not parsed, for fleet validate: a missing path, else the
 * yaml plugin's failure for a file named as YAML or JSON, else the last plugin's (ini); a
 * directory has none of its own (its files are listed themselves).
 */
export function unparsedReason(unparsed: UnparsedSource): ValidationError | undefined {
  const { source, failures } = unparsed;
  if (!existsSync(source)) return new ValidationError(`inventory source not found: ${source}`, { location: { file: source, line: 1, col: 1 } });
  const named = ['.yaml', '.yml', '.json'].includes(extname(source)) ? failures.find((failure) => failure.plugin === 'yaml') : undefined;
  return (named ?? failures.at(-1))?.error;
}

export interface LoadedInventory {
  inventory: Inventory;
  /** Warnings Ansible would print (`[WARNING]: …`), each once, in the order it prints them. */
  warnings: string[];
  /** The warnings and the errors (an inventory script's stderr), in the order Ansible shows them. */
  notices: InventoryNotice[];
  /** Directories whose group_vars/ and host_vars/ belong to the inventory, in source order. */
  inventoryDirs: string[];
  /** Whether any source was parsed: Ansible warns (or fails) about having none only then. */
  parsed: boolean;
  /** The sources (files, directories, missing paths) no plugin parsed, in the order met. */
  unparsed: UnparsedSource[];
}

// InventoryManager's IGNORED: hidden files, vars directories, and INVENTORY_IGNORE_EXTS
// (REJECT_EXTS + .orig, .ini, .cfg, .retry) when a directory is the source.
const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
const IGNORED_EXTS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];

// DEFAULT_HOST_LIST's default: InventoryManager keeps quiet when it is missing.
const DEFAULT_HOST_LIST = '/etc/ansible/hosts';

/**
 * Reads inventory sources the way InventoryManager.parse_sources does: each `-i` value is a
 * directory (every file in it, sorted), a file (the first plugin that parses it), or a host
 * list `a,b,`; all are merged into one inventory, then reconciled. A source no plugin parses
 * is left out with Ansible's warnings (each plugin's failure, then "Unable to parse"), and is
 * listed in `unparsed`; what a plugin added before it failed stays, as in Ansible.
 */
export function loadInventory(sources: string[], policy: InventoryPolicy = ANSIBLE_INVENTORY_POLICY, cachedFacts: CachedFacts = () => undefined): LoadedInventory {
  const reader = new SourceReader(policy, cachedFacts);
  let parsed = false;
  for (const source of sources) {
    if (!source) continue;
    if (source.includes(',') && !existsSync(source)) {
      parseHostList(reader.builder, source);
      parsed = true;
    } else if (reader.parseSource(unfrackPath(source))) parsed = true;
  }
  const { builder } = reader;
  if (!parsed && policy.noneParsedFails) throw new InventoryUnparsedError('No inventory was parsed, please check your configuration and options.', builder.notices);
  if (!parsed && policy.warn) builder.warn(NO_INVENTORY_PARSED);
  // Ansible reconciles only when a source was parsed; the hosts a failed plugin left still get their group lists.
  builder.reconcile(parsed);
  return { inventory: builder.inventory, warnings: builder.warnings, notices: builder.notices, inventoryDirs: inventoryDirs(sources), parsed, unparsed: reader.unparsed };
}

/** Where host_group_vars looks for a source's group_vars/host_vars (vars/plugins.py). */
function inventoryDirs(sources: string[]): string[] {
  const dirs: string[] = [];
  for (const source of sources) {
    if (!source || (source.includes(',') && !existsSync(source))) continue;
    const path = expandHome(source);
    dirs.push(isDirectory(path) ? path : dirname(path));
  }
  return dirs;
}

class SourceReader {
  readonly builder = new InventoryBuilder();
  readonly unparsed: UnparsedSource[] = [];
  /** The files parsed so far, in order. */
  private readonly processed: string[] = [];

  constructor(
    private readonly policy: InventoryPolicy,
    private readonly cachedFacts: CachedFacts,
  ) {}

  /** InventoryManager.parse_source: whether the source, or any file of a directory, was parsed. */
  parseSource(source: string): boolean {
    let parsed = false;
    let failures: PluginFailure[] = [];
    if (isDirectory(source)) {
      for (const name of readdirSync(source).sort()) {
        if (IGNORED_NAMES.test(name) || IGNORED_EXTS.some((ext) => name.endsWith(ext))) continue;
        if (this.parseSource(join(source, name))) parsed = true;
      }
    } else if (existsSync(source)) {
      this.builder.setCurrentSource(source);
      failures = parseInventoryFile(this.builder, source, { showScriptStderr: this.policy.showScriptStderr, processedSources: this.processed, cachedFacts: this.cachedFacts });
      parsed = failures.length === 0;
      if (parsed) this.processed.push(source);
      this.builder.setCurrentSource(undefined);
    }
    if (parsed) return true;
    if (source === DEFAULT_HOST_LIST && !existsSync(source)) return false;
    // Display.warning wraps with textwrap's default replace_whitespace: each newline shows as a space.
    for (const failure of failures) this.builder.warn(` * Failed to parse ${source} with ${failure.plugin} plugin: ${failure.message.replace(/[\t\n\v\f\r]/g, ' ')}`);
    if (this.policy.anyUnparsedFails) throw new InventoryUnparsedError(`Completely failed to parse inventory source ${source}`, this.builder.notices);
    this.builder.warn(`Unable to parse ${source} as an inventory source`);
    this.unparsed.push({ source, failures });
    return false;
  }
}

/** The host_list plugin: `a,b:2222,c` adds ungrouped hosts (ranges are not expanded). */
function parseHostList(builder: InventoryBuilder, list: string): void {
  builder.setCurrentSource(list);
  for (const entry of list.split(',')) {
    const text = entry.trim();
    if (!text) continue;
    const address = parseAddress(text, false);
    const name = address?.host ?? text;
    if (!builder.inventory.hosts.has(name)) builder.addHost(name, 'ungrouped', address?.port);
  }
  builder.setCurrentSource(undefined);
}

/** ansible.utils.path.unfrackpath(follow=False): `~` expanded, made absolute, symlinks kept. */
function unfrackPath(path: string): string {
  return resolve(expandHome(path));
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
