/**
 * Ansible settings (names of ansible_settings.ts; `PREFIX*` for all that start so) that only
 * steer machinery fleet does not have: whatever their value, neither the end state on the
 * hosts nor what ansible-playbook prints depends on them in a way fleet would have to follow,
 * so an ansible.cfg written for Ansible keeps them without a warning.
 */
export const WITHOUT_EFFECT: readonly { why: string; settings: readonly string[] }[] = [
  {
    why: 'Python modules on the host: fleet sends shell, so there is no interpreter to find, module to compress or pipeline, or temporary module directory',
    settings: [
      'INTERPRETER_PYTHON',
      'ANSIBLE_PIPELINING',
      'connection:local:pipelining',
      'connection:ssh:pipelining',
      'DEFAULT_MODULE_COMPRESSION',
      'PYTHON_MODULE_RLIMIT_NOFILE',
      'DEFAULT_KEEP_REMOTE_FILES',
      'DEFAULT_LOCAL_TMP',
      'shell:sh:remote_tmp',
      'shell:sh:admin_users',
      'shell:sh:common_remote_group',
      'shell:sh:system_tmpdirs',
      'shell:sh:world_readable_temp',
    ],
  },
  {
    why: "OpenSSH's programs, multiplexing and file transfer: fleet's one connection per host is its own SSH client, and content travels inside it",
    settings: [
      'connection:ssh:control_path',
      'connection:ssh:control_path_dir',
      'connection:ssh:ssh_executable',
      'connection:ssh:scp_executable',
      'connection:ssh:scp_extra_args',
      'connection:ssh:scp_if_ssh',
      'connection:ssh:sftp_executable',
      'connection:ssh:sftp_extra_args',
      'connection:ssh:sftp_batch_mode',
      'connection:ssh:ssh_transfer_method',
      'connection:ssh:use_tty',
      'connection:ssh:sshpass_prompt',
    ],
  },
  {
    why: 'connections fleet does not make: paramiko (`-c paramiko` means fleet SSH), Windows and network devices',
    settings: [
      'connection:paramiko_ssh:*',
      'PARAMIKO_*',
      'connection:winrm:*',
      'connection:psrp:*',
      'shell:powershell:*',
      'shell:cmd:*',
      'become:runas:*',
      'WIN_ASYNC_STARTUP_TIMEOUT',
      'PERSISTENT_*',
      'ANSIBLE_CONNECTION_PATH',
      'USE_PERSISTENT_CONNECTIONS',
      'NETCONF_SSH_CONFIG',
    ],
  },
  {
    why: "other Ansible programs: ansible-galaxy, ansible-doc, ansible-console and ad-hoc ansible (PLAYBOOK_DIR is their --playbook-dir; ansible-playbook's is the playbook's own)",
    settings: ['GALAXY_*', 'DOC_FRAGMENT_PLUGIN_PATH', 'DOCSITE_ROOT_URL', 'COLOR_CONSOLE_PROMPT', 'DEFAULT_MODULE_NAME', 'DEFAULT_MODULE_ARGS', 'DEFAULT_LOAD_CALLBACK_PLUGINS', 'PLAYBOOK_DIR'],
  },
  {
    why: 'options of callbacks ansible-playbook runs only when enabled (enabling one is warned about) and of cowsay, which fleet never calls',
    settings: ['callback:junit:*', 'callback:tree:*', 'callback:minimal:*', 'ANSIBLE_COW_*', 'ANSIBLE_NOCOWS'],
  },
  {
    why: 'settings ansible-core 2.14 itself no longer reads (base.yml says so; setting one prints its deprecation)',
    settings: ['JINJA2_NATIVE_WARNING'],
  },
  {
    why: "the controller's worker processes and Ansible's own test coverage",
    settings: ['DEFAULT_INTERNAL_POLL_INTERVAL', 'WORKER_SHUTDOWN_POLL_COUNT', 'WORKER_SHUTDOWN_POLL_DELAY', 'OLD_PLUGIN_CACHE_CLEARING', 'COVERAGE_REMOTE_OUTPUT', 'COVERAGE_REMOTE_PATHS'],
  },
];

/**
 * Settings fleet does not read but always behaves as if set to this value: set so, they ask
 * for nothing fleet does not do (jinja2_native = False is Ansible's own templating, which
 * fleet's is; the `default`, `minimal` and `oneline` stdout callbacks are outputs fleet prints); set otherwise, they
 * are warned about.
 */
export const FLEET_BEHAVES_AS: ReadonlyMap<string, boolean | readonly string[]> = new Map<string, boolean | readonly string[]>([
  ['DEFAULT_STDOUT_CALLBACK', ['default', 'ansible.builtin.default', 'minimal', 'ansible.builtin.minimal', 'oneline', 'ansible.builtin.oneline']],
  ['DEFAULT_JINJA2_NATIVE', false],
  ['RETRY_FILES_ENABLED', false],
  ['ANY_ERRORS_FATAL', false],
  ['DEFAULT_ASK_VAULT_PASS', false],
  ['DEFAULT_NO_LOG', false],
  ['DEFAULT_DEBUG', false],
  ['ENABLE_TASK_DEBUGGER', false],
]);

export function withoutEffect(setting: string): boolean {
  return WITHOUT_EFFECT.some((group) => group.settings.some((pattern) => (pattern.endsWith('*') ? setting.startsWith(pattern.slice(0, -1)) : setting === pattern)));
}
