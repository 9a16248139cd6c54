import { accessSync, constants, existsSync, openSync, readdirSync, readFileSync, readSync, closeSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { ValidationError } from '../errors.js';
import { parseYaml, type LoadedYaml } from '../yaml/load.js';
import { parseAddress } from './address.js';
import { InventoryBuilder } from './builder.js';
import { parseIniInventory } from './ini.js';
import type { Inventory } from './model.js';
import { looksLikeYamlInventory, parseYamlInventory } from './yaml.js';
import { unvaultText } from '../vault/context.js';

/** InventoryManager's warning when no source was parsed (INVENTORY_UNPARSED_WARNING). */
export const NO_INVENTORY_PARSED = 'No inventory was parsed, only implicit localhost is available';

export interface LoadedInventory {
  inventory: Inventory;
  /** Warnings Ansible would print (`[WARNING]: …`), each once. */
  warnings: string[];
  /** Directories whose group_vars/ and host_vars/ belong to the inventory, in source order. */
  inventoryDirs: string[];
}

// InventoryManager's IGNORED: hidden files, vars directories, and INVENTORY_IGNORE_EXTS
// (REJECT_EXTS + .orig, .ini, .cfg, .retry) when a directory is the source.
const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
const IGNORED_EXTS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];
const YAML_EXTS = ['.yaml', '.yml', '.json'];

/**
 * Reads inventory sources the way InventoryManager.parse_sources does: each `-i` value is a
 * directory (every file in it, sorted), a file (yaml plugin, else ini), or a host list
 * `a,b,`; all are merged into one inventory, then reconciled.
 */
export function loadInventory(sources: string[]): LoadedInventory {
  const builder = new InventoryBuilder();
  for (const source of sources) {
    if (!source) continue;
    if (source.includes(',') && !existsSync(source)) parseHostList(builder, source);
    else parseSource(builder, unfrackPath(source));
  }
  builder.reconcile();
  return { inventory: builder.inventory, warnings: builder.warnings, inventoryDirs: inventoryDirs(sources) };
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

function parseSource(builder: InventoryBuilder, source: string): void {
  if (isDirectory(source)) {
    for (const name of readdirSync(source).sort()) {
      if (IGNORED_NAMES.test(name) || IGNORED_EXTS.some((ext) => name.endsWith(ext))) continue;
      parseSource(builder, join(source, name));
    }
    return;
  }
  if (!existsSync(source)) {
    throw new ValidationError(`inventory source not found: ${source}`, { location: { file: source, line: 1, col: 1 } });
  }
  builder.setCurrentSource(source);
  parseFile(builder, source);
  builder.setCurrentSource(undefined);
}

/** Ansible's plugin order for a file: script, yaml (by extension), ini, toml. */
function parseFile(builder: InventoryBuilder, file: string): void {
  const at = { file, line: 1, col: 1 };
  const ext = extname(file);
  if (isScript(file)) {
    throw new ValidationError('dynamic inventory scripts are not supported (the file is executable or starts with #!)', {
      location: at,
    });
  }
  const text = unvaultText(readFileSync(file, 'utf8'), file);
  let yamlError: ValidationError | undefined;
  if (!ext || YAML_EXTS.includes(ext)) {
    let loaded: LoadedYaml | undefined;
    try {
      loaded = parseYaml(text, file);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      yamlError = err;
    }
    if (loaded && looksLikeYamlInventory(loaded)) {
      parseYamlInventory(builder, loaded);
      return;
    }
  }
  if (ext === '.toml') throw new ValidationError('TOML inventories are not supported', { location: at });
  try {
    parseIniInventory(builder, file, text);
  } catch (err) {
    // A .yml/.yaml/.json file that is not YAML is best explained by its YAML error.
    // Not a ParserError: Ansible reports an inventory no plugin parses as an AnsibleError (exit 1).
    if (yamlError && ext && err instanceof ValidationError) throw new ValidationError(yamlError.message, { location: yamlError.location, sourceLine: yamlError.sourceLine });
    throw err;
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

/** The script plugin takes executable files and files starting with `#!`. */
function isScript(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(2);
      const read = readSync(fd, head, 0, 2, 0);
      return head.subarray(0, read).toString('latin1') === '#!';
    } finally {
      closeSync(fd);
    }
  }
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
