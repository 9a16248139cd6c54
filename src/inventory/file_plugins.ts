import { accessSync, closeSync, constants, openSync, readFileSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { ValidationError } from '../errors.js';
import { PyDict } from '../template/values.js';
import { pyTruthy } from '../template/python/index.js';
import { unvaultText } from '../vault/context.js';
import { keyPositionOf, parseYaml, type LoadedYaml } from '../yaml/load.js';
import type { InventoryBuilder } from './builder.js';
import { CONSTRUCTED_NAMES, parseConstructed } from './constructed_plugin.js';
import { GENERATOR_NAMES, parseGenerator } from './generator_plugin.js';
import { IniLineError, parseIniInventory } from './ini.js';
import { parseInventoryScript } from './script_plugin.js';
import { loadedClassOf, parseYamlInventory } from './yaml.js';

/** What the file plugins need from the sources read so far and the settings. */
export interface FileParseContext {
  /** The script plugin's always_show_stderr. */
  showScriptStderr: boolean;
  /** The sources parsed before this file (InventoryData.processed_sources), for constructed's use_vars_plugins. */
  processedSources: readonly string[];
  /** A host's facts in the fact cache, which constructed adds to the host's variables. */
  cachedFacts: CachedFacts;
}

/** A host's facts as the fact cache holds them, if it holds any. */
export type CachedFacts = (host: string) => PyDict | undefined;

/** Why one plugin could not parse a file, as InventoryManager.parse_source records it. */
export interface PluginFailure {
  plugin: string;
  error: ValidationError;
  /** The text Ansible shows for it (`to_text(exc)`). */
  message: string;
}

const YAML_EXTS = ['.yaml', '.yml', '.json'];
const AUTO_EXTS = ['.yaml', '.yml'];

/**
 * Tries a file with the plugins of INVENTORY_ENABLED's default order that read files
 * (script, auto, yaml, ini, toml), each that accepts it until one parses it: the failures of
 * those that tried, or an empty list once one has parsed it. A failed plugin can leave what it
 * added so far in the inventory, as in Ansible. What fleet cannot do as Ansible would (a
 * configuration for a plugin other than constructed and generator, TOML) is refused with a ValidationError.
 */
export function parseInventoryFile(builder: InventoryBuilder, file: string, context: FileParseContext): PluginFailure[] {
  const at = { file, line: 1, col: 1 };
  const ext = extname(file);
  const failures: PluginFailure[] = [];
  const attempt = (plugin: string, parse: () => void): boolean => {
    try {
      parse();
      return true;
    } catch (err) {
      if (!(err instanceof ValidationError) || err instanceof FatalInventoryError) throw err;
      failures.push({ plugin, error: err, message: err instanceof IniLineError ? `${file}:${err.location?.line ?? 1}: ${err.message}` : err.message });
      return false;
    }
  };
  if (isScript(file) && attempt('script', () => parseInventoryScript(builder, file, context.showScriptStderr))) return [];
  const plugins = [...(AUTO_EXTS.includes(ext) ? ['auto'] : []), ...(!ext || YAML_EXTS.includes(ext) ? ['yaml'] : []), 'ini'];
  let text: string;
  try {
    text = unvaultText(readFileSync(file, 'utf8'), file);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return [...failures, ...plugins.map((plugin) => ({ plugin, error: err, message: err.message }))];
  }
  const loaded = plugins.includes('yaml') ? loadYaml(text, file) : undefined;
  if (plugins.includes('auto') && attempt('auto', () => autoPlugin(builder, loaded, file, context))) return [];
  if (plugins.includes('yaml') && attempt('yaml', () => yamlPlugin(builder, loaded, text))) return [];
  if (attempt('ini', () => parseIniInventory(builder, file, text))) return [];
  if (ext === '.toml') throw new ValidationError('TOML inventories are not supported', { location: at });
  return failures;
}

function loadYaml(text: string, file: string): LoadedYaml | ValidationError {
  try {
    return parseYaml(text, file);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
}

/**
 * The auto plugin takes a plugin configuration (`plugin:` at the top) and hands it to the
 * plugin it names: constructed or generator; fleet refuses any other (a cloud inventory…).
 */
function autoPlugin(builder: InventoryBuilder, loaded: LoadedYaml | ValidationError | undefined, file: string, context: FileParseContext): void {
  if (loaded instanceof ValidationError) throw loaded;
  const data = loaded?.documents[0];
  if (data instanceof PyDict && pyTruthy(data.get('plugin') ?? null)) {
    const plugin = data.get('plugin') ?? null;
    if (typeof plugin === 'string' && CONSTRUCTED_NAMES.includes(plugin)) {
      parseConstructed(builder, data, file, context);
      return;
    }
    if (typeof plugin === 'string' && GENERATOR_NAMES.includes(plugin)) {
      parseGenerator(builder, data, file);
      return;
    }
    const location = keyPositionOf(data, 'plugin') ?? { file, line: 1, col: 1 };
    throw new FatalInventoryError(`inventory plugin configuration files are not supported (plugin: ${String(plugin)})`, { location });
  }
  throw new ValidationError(`no root 'plugin' key found, '${file}' is not a valid YAML inventory plugin config file`, { location: { file, line: 1, col: 1 } });
}

/** The yaml plugin's checks before it reads groups (plugins/inventory/yaml.py parse). */
function yamlPlugin(builder: InventoryBuilder, loaded: LoadedYaml | ValidationError | undefined, text: string): void {
  if (loaded instanceof ValidationError) throw loaded;
  if (!loaded) return;
  const at = { file: loaded.file, line: 1, col: 1 };
  if (loaded.documents.length > 1) throw new ValidationError('expected a single document in the stream', { location: at });
  const data = loaded.documents[0] ?? null;
  if (!pyTruthy(data)) throw new ValidationError('Parsed empty YAML file', { location: at });
  if (!(data instanceof PyDict)) {
    throw new ValidationError(`YAML inventory has invalid structure, it should be a dictionary, got: ${loadedClassOf(data, isJson(text))}`, { location: at });
  }
  if (pyTruthy(data.get('plugin') ?? null)) throw new ValidationError('Plugin configuration YAML file, not YAML inventory', { location: at });
  parseYamlInventory(builder, loaded, isJson(text));
}

/** DataLoader.load tries JSON first, whose values are plain Python types, then YAML, whose are Ansible's own classes. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** An inventory fleet will not run with, where Ansible would parse it with a plugin fleet lacks. */
export class FatalInventoryError extends ValidationError {}

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
