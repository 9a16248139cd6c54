/** A setting fleet honours: its ansible.cfg place and its environment variable. */
export interface Setting {
  section: string;
  key: string;
  env: string;
}

/**
 * Every ansible.cfg key and ANSIBLE_* variable fleet honours. Any other key or variable that
 * ansible-core 2.14 defines is named in a warning unless it only steers machinery fleet does
 * not have (without_effect.ts).
 */
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

/** Variables output/colors.ts reads from the environment alone (their ansible.cfg keys, nocolor and force_color, are not read). */
export const HONOURED_ENV_ONLY: ReadonlySet<string> = new Set(['ANSIBLE_NOCOLOR', 'NO_COLOR', 'ANSIBLE_FORCE_COLOR']);
