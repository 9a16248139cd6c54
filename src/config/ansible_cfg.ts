import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import { configBool } from './config_bool.js';
import { settingDeprecations } from './deprecations.js';
import { SETTINGS, type SettingName } from './honoured.js';
import { settingsWarnings } from './settings_warnings.js';

export type { SettingName } from './honoured.js';

/**
 * ansible.cfg, found the way Ansible finds it (config/manager.py find_ini_config_file):
 * $ANSIBLE_CONFIG, ./ansible.cfg (unless the directory is world-writable), ~/.ansible.cfg,
 * /etc/ansible/ansible.cfg. Read with configparser's rules: `key = value` or `key: value`,
 * `#`/`;` comment lines, keys case-insensitive.
 */
export interface AnsibleConfigFile {
  path: string;
  sections: Map<string, Map<string, string>>;
}

export function findConfigFile(cwd: string, env: NodeJS.ProcessEnv): string | null {
  const candidates: string[] = [];
  if (env.ANSIBLE_CONFIG) {
    const given = resolve(cwd, env.ANSIBLE_CONFIG);
    candidates.push(existsSync(given) && statSync(given).isDirectory() ? join(given, 'ansible.cfg') : given);
  }
  if ((statSync(cwd).mode & 0o002) === 0) candidates.push(join(cwd, 'ansible.cfg'));
  candidates.push(join(homedir(), '.ansible.cfg'), '/etc/ansible/ansible.cfg');
  return candidates.find((path) => existsSync(path) && statSync(path).isFile()) ?? null;
}

export function parseConfigFile(path: string): AnsibleConfigFile {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | null = null;
  let lastKey: string | null = null;
  readFileSync(path, 'utf8').split('\n').forEach((line, index) => {
    if (/^\s*([#;].*)?$/.test(line)) return;
    const section = /^\[([^\]]+)\]\s*$/.exec(line);
    if (section) {
      current = new Map();
      sections.set((section[1] as string).trim(), current);
      lastKey = null;
      return;
    }
    if (/^\s/.test(line) && current && lastKey) {
      current.set(lastKey, `${current.get(lastKey) ?? ''}\n${line.trim()}`);
      return;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!pair || !current) {
      throw new ValidationError(`cannot parse ansible.cfg line: ${line.trim()}`, { location: { file: path, line: index + 1, col: 1 } });
    }
    lastKey = (pair[1] as string).trim().toLowerCase();
    (current as Map<string, string>).set(lastKey, (pair[2] as string).trim());
  });
  return { path, sections };
}

export interface ResolvedConfig {
  file: string | null;
  get(name: SettingName): string | undefined;
  /** A setting of Ansible's `type: pathlist` or `pathspec` (PATH_LISTS) as its list of resolved paths. */
  paths(name: PathListName): string[] | undefined;
  /** Where a setting's value came from, as Ansible names it in errors: `env: NAME` or the file's path. */
  origin(name: SettingName): string | undefined;
  /** What the commands print, each once, about settings fleet does not honour (settings_warnings.ts). */
  warnings: string[];
  /** Ansible's deprecation messages for the deprecated settings that are set (deprecations.ts), unless deprecation_warnings is off. */
  deprecations: string[];
}

/** Settings resolved in Ansible's order: environment variable over ansible.cfg. */
export function loadConfig(cwd: string, env: NodeJS.ProcessEnv): ResolvedConfig {
  const path = findConfigFile(cwd, env);
  const file = path ? parseConfigFile(path) : null;
  // The variable that sets it, if any: the last of the setting's variables that is set. An
  // empty one is set (_loop_entries tests `is not None`); each type reads '' its own way.
  const envName = (name: SettingName): string | undefined => {
    const names: readonly string[] = SETTINGS[name].env;
    return names.filter((variable) => env[variable] !== undefined).at(-1);
  };
  const fromEnv = (name: SettingName): string | undefined => {
    const variable = envName(name);
    return variable === undefined ? undefined : env[variable];
  };
  const fromFile = (name: SettingName): string | undefined => {
    const entries: readonly string[] = SETTINGS[name].ini;
    const values = entries.map((entry) => file?.sections.get(entry.slice(0, entry.indexOf('.')))?.get(entry.slice(entry.indexOf('.') + 1)));
    return values.filter((value) => value !== undefined).at(-1);
  };
  const config: ResolvedConfig = {
    file: path,
    warnings: settingsWarnings(file, env),
    deprecations: [],
    get(name) {
      const envValue = fromEnv(name);
      if (SINGLE_PATHS.has(name)) {
        const value = envValue ?? fromFile(name);
        return value === undefined ? undefined : resolvePath(value, envValue === undefined ? dirname(path as string) : cwd, env);
      }
      if (envValue !== undefined) return envValue;
      const value = fromFile(name);
      if (value === undefined) return undefined;
      return name === 'privateKeyFile' || name === 'vaultPasswordFile' ? resolvePaths(value, dirname(path as string)) : value;
    },
    paths(name) {
      const envValue = fromEnv(name);
      const value = envValue ?? fromFile(name);
      if (value === undefined) return undefined;
      return splitPathList(value, PATH_LISTS[name]).map((part) => resolvePath(part, envValue === undefined ? dirname(path as string) : cwd, env));
    },
    origin(name) {
      const variable = envName(name);
      if (variable !== undefined) return `env: ${variable}`;
      return fromFile(name) === undefined ? undefined : (path as string);
    },
  };
  if (configBool(config.get('deprecationWarnings'), true)) config.deprecations = settingDeprecations(file?.sections, env);
  return config;
}

/**
 * ensure_type's path lists: DEFAULT_HOST_LIST is a `pathlist` (split on commas, each part
 * stripped), DEFAULT_ROLES_PATH a `pathspec` (split on os.pathsep, `:`, as written). Every
 * part is resolved, so an empty one is the directory it is relative to.
 */
const PATH_LISTS = { inventory: 'pathlist', rolesPath: 'pathspec' } as const;
export type PathListName = keyof typeof PATH_LISTS;

function splitPathList(value: string, type: 'pathlist' | 'pathspec'): string[] {
  return type === 'pathlist' ? value.split(',').map((part) => part.trim()) : value.split(':');
}

/** Settings of Ansible's `type: path`: one path, resolved relative to where it was set. */
const SINGLE_PATHS: ReadonlySet<SettingName> = new Set(['factCachingConnection', 'ansibleHome', 'connectionPasswordFile', 'becomePasswordFile', 'logPath']);

/**
 * config/manager.py resolve_path (unfrackpath): `~` and `$VAR` expanded, then relative to
 * the ansible.cfg's directory (or the current one for an environment variable).
 */
function resolvePath(value: string, base: string, env: NodeJS.ProcessEnv): string {
  // os.path.expandvars: `$NAME` and `${NAME}` of set variables; others stay as written.
  const expanded = value.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => env[name.replace(/^\{|\}$/g, '')] ?? whole);
  const home = expanded === '~' || expanded.startsWith('~/') ? join(homedir(), expanded.slice(1)) : expanded;
  return resolve(base, home);
}

/** Relative paths in ansible.cfg are relative to the file's directory. */
function resolvePaths(value: string, base: string): string {
  return value
    .split(/[,:]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => (part.startsWith('~') ? join(homedir(), part.slice(1)) : resolve(base, part)))
    .join(',');
}
