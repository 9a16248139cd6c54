/**
 * A setting fleet honours: the ansible.cfg keys (`section.key`) and environment variables
 * Ansible reads it from, in Ansible's order (the last one set wins, as in
 * config/manager.py _loop_entries; a variable beats every key).
 */
export interface Setting {
  ini: readonly string[];
  env: readonly string[];
}

/**
 * Every ansible.cfg key and ANSIBLE_* variable fleet honours. Any other key or variable that
 * ansible-core 2.14 defines is named in a warning unless it only steers machinery fleet does
 * not have (without_effect.ts).
 */
export const SETTINGS = {
  inventory: { ini: ['defaults.inventory'], env: ['ANSIBLE_INVENTORY'] },
  rolesPath: { ini: ['defaults.roles_path'], env: ['ANSIBLE_ROLES_PATH'] },
  // Read only as the base of the default roles path: the plugin, collection and galaxy directories it also roots are not fleet's.
  ansibleHome: { ini: ['defaults.home'], env: ['ANSIBLE_HOME'] },
  forks: { ini: ['defaults.forks'], env: ['ANSIBLE_FORKS'] },
  remoteUser: { ini: ['defaults.remote_user'], env: ['ANSIBLE_REMOTE_USER'] },
  privateKeyFile: { ini: ['defaults.private_key_file'], env: ['ANSIBLE_PRIVATE_KEY_FILE'] },
  // The ssh connection plugin's options: fleet's SSH client stands in for it.
  hostKeyChecking: { ini: ['defaults.host_key_checking', 'ssh_connection.host_key_checking'], env: ['ANSIBLE_HOST_KEY_CHECKING', 'ANSIBLE_SSH_HOST_KEY_CHECKING'] },
  timeout: { ini: ['defaults.timeout', 'ssh_connection.timeout'], env: ['ANSIBLE_TIMEOUT', 'ANSIBLE_SSH_TIMEOUT'] },
  sshArgs: { ini: ['ssh_connection.ssh_args'], env: ['ANSIBLE_SSH_ARGS'] },
  sshCommonArgs: { ini: ['ssh_connection.ssh_common_args'], env: ['ANSIBLE_SSH_COMMON_ARGS'] },
  sshExtraArgs: { ini: ['ssh_connection.ssh_extra_args'], env: ['ANSIBLE_SSH_EXTRA_ARGS'] },
  // The defaults of -k, -K and the password files' flags (CLI.ask_passwords reads the options).
  askPass: { ini: ['defaults.ask_pass'], env: ['ANSIBLE_ASK_PASS'] },
  connectionPasswordFile: { ini: ['defaults.connection_password_file'], env: ['ANSIBLE_CONNECTION_PASSWORD_FILE'] },
  becomeAskPass: { ini: ['privilege_escalation.become_ask_pass'], env: ['ANSIBLE_BECOME_ASK_PASS'] },
  becomePasswordFile: { ini: ['defaults.become_password_file'], env: ['ANSIBLE_BECOME_PASSWORD_FILE'] },
  gathering: { ini: ['defaults.gathering'], env: ['ANSIBLE_GATHERING'] },
  strategy: { ini: ['defaults.strategy'], env: ['ANSIBLE_STRATEGY'] },
  // Play.gather_subset's default (deprecated in 2.14, which warns and honours it).
  gatherSubset: { ini: ['defaults.gather_subset'], env: ['ANSIBLE_GATHER_SUBSET'] },
  factCaching: { ini: ['defaults.fact_caching'], env: ['ANSIBLE_CACHE_PLUGIN'] },
  factCachingConnection: { ini: ['defaults.fact_caching_connection'], env: ['ANSIBLE_CACHE_PLUGIN_CONNECTION'] },
  factCachingTimeout: { ini: ['defaults.fact_caching_timeout'], env: ['ANSIBLE_CACHE_PLUGIN_TIMEOUT'] },
  factCachingPrefix: { ini: ['defaults.fact_caching_prefix'], env: ['ANSIBLE_CACHE_PLUGIN_PREFIX'] },
  forceHandlers: { ini: ['defaults.force_handlers'], env: ['ANSIBLE_FORCE_HANDLERS'] },
  errorOnMissingHandler: { ini: ['defaults.error_on_missing_handler'], env: ['ANSIBLE_ERROR_ON_MISSING_HANDLER'] },
  runTags: { ini: ['tags.run'], env: ['ANSIBLE_RUN_TAGS'] },
  skipTags: { ini: ['tags.skip'], env: ['ANSIBLE_SKIP_TAGS'] },
  become: { ini: ['privilege_escalation.become'], env: ['ANSIBLE_BECOME'] },
  becomeUser: { ini: ['privilege_escalation.become_user'], env: ['ANSIBLE_BECOME_USER'] },
  becomeMethod: { ini: ['privilege_escalation.become_method'], env: ['ANSIBLE_BECOME_METHOD'] },
  becomeFlags: { ini: ['privilege_escalation.become_flags'], env: ['ANSIBLE_BECOME_FLAGS'] },
  becomeExe: { ini: ['privilege_escalation.become_exe'], env: ['ANSIBLE_BECOME_EXE'] },
  vaultPasswordFile: { ini: ['defaults.vault_password_file'], env: ['ANSIBLE_VAULT_PASSWORD_FILE'] },
  vaultIdentityList: { ini: ['defaults.vault_identity_list'], env: ['ANSIBLE_VAULT_IDENTITY_LIST'] },
  vaultEncryptIdentity: { ini: ['defaults.vault_encrypt_identity'], env: ['ANSIBLE_VAULT_ENCRYPT_IDENTITY'] },
  hostPatternMismatch: { ini: ['inventory.host_pattern_mismatch'], env: ['ANSIBLE_HOST_PATTERN_MISMATCH'] },
  // Gates the deprecations of settings (deprecations.ts), the only deprecation warnings fleet prints.
  deprecationWarnings: { ini: ['defaults.deprecation_warnings'], env: ['ANSIBLE_DEPRECATION_WARNINGS'] },
  localhostWarning: { ini: ['defaults.localhost_warning'], env: ['ANSIBLE_LOCALHOST_WARNING'] },
  inventoryUnparsedWarning: { ini: ['inventory.inventory_unparsed_warning'], env: ['ANSIBLE_INVENTORY_UNPARSED_WARNING'] },
  inventoryUnparsedFailed: { ini: ['inventory.unparsed_is_failed'], env: ['ANSIBLE_INVENTORY_UNPARSED_FAILED'] },
  inventoryAnyUnparsedFailed: { ini: ['inventory.any_unparsed_is_failed'], env: ['ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED'] },
  // The script inventory plugin's always_show_stderr.
  inventoryScriptStderr: { ini: ['inventory_plugin_script.always_show_stderr'], env: ['ANSIBLE_INVENTORY_PLUGIN_SCRIPT_STDERR'] },
  // The sh shell plugin's async_dir: where async jobs keep their files on the host.
  asyncDir: { ini: ['defaults.async_dir'], env: ['ANSIBLE_ASYNC_DIR'] },
  // The default stdout callback's options (output/default_text.ts).
  displaySkippedHosts: { ini: ['defaults.display_skipped_hosts'], env: ['ANSIBLE_DISPLAY_SKIPPED_HOSTS'] },
  logPath: { ini: ['defaults.log_path'], env: ['ANSIBLE_LOG_PATH'] },
  displayOkHosts: { ini: ['defaults.display_ok_hosts'], env: ['ANSIBLE_DISPLAY_OK_HOSTS'] },
  displayFailedStderr: { ini: ['defaults.display_failed_stderr'], env: ['ANSIBLE_DISPLAY_FAILED_STDERR'] },
  checkModeMarkers: { ini: ['defaults.check_mode_markers'], env: ['ANSIBLE_CHECK_MODE_MARKERS'] },
  showPerHostStart: { ini: ['defaults.show_per_host_start'], env: ['ANSIBLE_SHOW_PER_HOST_START'] },
  showTaskPathOnFailure: { ini: ['defaults.show_task_path_on_failure'], env: ['ANSIBLE_SHOW_TASK_PATH_ON_FAILURE'] },
  showCustomStats: { ini: ['defaults.show_custom_stats'], env: ['ANSIBLE_SHOW_CUSTOM_STATS'] },
  // Which stdout callback prints: default, minimal or oneline (any other is warned about, and default prints).
  stdoutCallback: { ini: ['defaults.stdout_callback'], env: ['ANSIBLE_STDOUT_CALLBACK'] },
  callbackResultFormat: { ini: ['defaults.callback_result_format'], env: ['ANSIBLE_CALLBACK_RESULT_FORMAT'] },
  callbackFormatPretty: { ini: ['defaults.callback_format_pretty'], env: ['ANSIBLE_CALLBACK_FORMAT_PRETTY'] },
  // Whether dict variables are deep-merged across the places that define them (vars/combine.ts).
  hashBehaviour: { ini: ['defaults.hash_behaviour'], env: ['ANSIBLE_HASH_BEHAVIOUR'] },
  // Whether a role's vars are the whole play's or only its own tasks' (executor/scope.ts roleLayers).
  privateRoleVars: { ini: ['defaults.private_role_vars'], env: ['ANSIBLE_PRIVATE_ROLE_VARS'] },
  // The default of `fleet inventory --export`.
  inventoryExport: { ini: ['inventory.export'], env: ['ANSIBLE_INVENTORY_EXPORT'] },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

/** Variables output/colors.ts reads from the environment alone (their ansible.cfg keys, nocolor and force_color, are not read). */
export const HONOURED_ENV_ONLY: ReadonlySet<string> = new Set(['ANSIBLE_NOCOLOR', 'NO_COLOR', 'ANSIBLE_FORCE_COLOR']);
