import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';

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

/** A setting fleet honours: its ansible.cfg place and its environment variable. */
interface Setting {
  section: string;
  key: string;
  env: string;
}

export const SETTINGS = {
  inventory: { section: 'defaults', key: 'inventory', env: 'ANSIBLE_INVENTORY' },
  rolesPath: { section: 'defaults', key: 'roles_path', env: 'ANSIBLE_ROLES_PATH' },
  forks: { section: 'defaults', key: 'forks', env: 'ANSIBLE_FORKS' },
  remoteUser: { section: 'defaults', key: 'remote_user', env: 'ANSIBLE_REMOTE_USER' },
  privateKeyFile: { section: 'defaults', key: 'private_key_file', env: 'ANSIBLE_PRIVATE_KEY_FILE' },
  hostKeyChecking: { section: 'defaults', key: 'host_key_checking', env: 'ANSIBLE_HOST_KEY_CHECKING' },
  timeout: { section: 'defaults', key: 'timeout', env: 'ANSIBLE_TIMEOUT' },
  gathering: { section: 'defaults', key: 'gathering', env: 'ANSIBLE_GATHERING' },
  factCaching: { section: 'defaults', key: 'fact_caching', env: 'ANSIBLE_CACHE_PLUGIN' },
  factCachingConnection: { section: 'defaults', key: 'fact_caching_connection', env: 'ANSIBLE_CACHE_PLUGIN_CONNECTION' },
  factCachingTimeout: { section: 'defaults', key: 'fact_caching_timeout', env: 'ANSIBLE_CACHE_PLUGIN_TIMEOUT' },
  factCachingPrefix: { section: 'defaults', key: 'fact_caching_prefix', env: 'ANSIBLE_CACHE_PLUGIN_PREFIX' },
  forceHandlers: { section: 'defaults', key: 'force_handlers', env: 'ANSIBLE_FORCE_HANDLERS' },
  errorOnMissingHandler: { section: 'defaults', key: 'error_on_missing_handler', env: 'ANSIBLE_ERROR_ON_MISSING_HANDLER' },
  noColor: { section: 'defaults', key: 'nocolor', env: 'ANSIBLE_NOCOLOR' },
  runTags: { section: 'tags', key: 'run', env: 'ANSIBLE_RUN_TAGS' },
  skipTags: { section: 'tags', key: 'skip', env: 'ANSIBLE_SKIP_TAGS' },
  become: { section: 'privilege_escalation', key: 'become', env: 'ANSIBLE_BECOME' },
  becomeUser: { section: 'privilege_escalation', key: 'become_user', env: 'ANSIBLE_BECOME_USER' },
  becomeMethod: { section: 'privilege_escalation', key: 'become_method', env: 'ANSIBLE_BECOME_METHOD' },
  becomeFlags: { section: 'privilege_escalation', key: 'become_flags', env: 'ANSIBLE_BECOME_FLAGS' },
  sshArgs: { section: 'ssh_connection', key: 'ssh_args', env: 'ANSIBLE_SSH_ARGS' },
  vaultPasswordFile: { section: 'defaults', key: 'vault_password_file', env: 'ANSIBLE_VAULT_PASSWORD_FILE' },
  vaultIdentityList: { section: 'defaults', key: 'vault_identity_list', env: 'ANSIBLE_VAULT_IDENTITY_LIST' },
  vaultEncryptIdentity: { section: 'defaults', key: 'vault_encrypt_identity', env: 'ANSIBLE_VAULT_ENCRYPT_IDENTITY' },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

// Settings that have no effect on fleet because it has no Python on the host and always
// uses one connection and one round trip: accepted without a warning.
const NOT_APPLICABLE = new Set(['defaults.interpreter_python', 'defaults.retry_files_enabled', 'ssh_connection.pipelining', 'ssh_connection.control_path', 'ssh_connection.control_path_dir']);

export interface ResolvedConfig {
  file: string | null;
  get(name: SettingName): string | undefined;
  /** Where a setting's value came from, as Ansible names it in errors: `env: NAME` or the file's path. */
  origin(name: SettingName): string | undefined;
  /** ansible.cfg keys fleet does not support, as `section.key`, for a warning. */
  unsupported: string[];
}

/** Settings resolved in Ansible's order: environment variable over ansible.cfg. */
export function loadConfig(cwd: string, env: NodeJS.ProcessEnv): ResolvedConfig {
  const path = findConfigFile(cwd, env);
  const file = path ? parseConfigFile(path) : null;
  const known = new Set(Object.values(SETTINGS).map((setting) => `${setting.section}.${setting.key}`));
  const unsupported: string[] = [];
  for (const [section, entries] of file?.sections ?? []) {
    for (const key of entries.keys()) {
      const name = `${section}.${key}`;
      if (!known.has(name) && !NOT_APPLICABLE.has(name)) unsupported.push(name);
    }
  }
  const fromEnv = (name: SettingName): string | undefined => {
    const value = env[SETTINGS[name].env];
    return value === undefined || value === '' ? undefined : value;
  };
  const fromFile = (name: SettingName): string | undefined => {
    const setting: Setting = SETTINGS[name];
    return file?.sections.get(setting.section)?.get(setting.key);
  };
  return {
    file: path,
    unsupported,
    get(name) {
      const envValue = fromEnv(name);
      if (SINGLE_PATHS.has(name)) {
        const value = envValue ?? fromFile(name);
        return value === undefined ? undefined : resolvePath(value, envValue === undefined ? dirname(path as string) : cwd, env);
      }
      if (envValue !== undefined) return envValue;
      const value = fromFile(name);
      if (value === undefined) return undefined;
      return name === 'inventory' || name === 'rolesPath' || name === 'privateKeyFile' || name === 'vaultPasswordFile' ? resolvePaths(value, dirname(path as string)) : value;
    },
    origin(name) {
      if (fromEnv(name) !== undefined) return `env: ${SETTINGS[name].env}`;
      return fromFile(name) === undefined ? undefined : (path as string);
    },
  };
}

/** Settings of Ansible's `type: path`: one path, resolved relative to where it was set. */
const SINGLE_PATHS: ReadonlySet<SettingName> = new Set(['factCachingConnection']);

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

export function configBool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return /^(1|true|yes|on|y|t)$/i.test(value.trim());
}
