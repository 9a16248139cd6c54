import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommanderError, Option, type Command } from 'commander';
import type { ApplyOptions } from '../executor/run_playbooks.js';
import { loadConfig, type ResolvedConfig } from '../config/ansible_cfg.js';
import { configBool } from '../config/config_bool.js';
import { choiceSetting } from '../config/choice_setting.js';
import { integerSetting, SettingError } from '../config/integer_setting.js';
import { rolesPathFrom } from '../config/roles_path.js';
import { inventoryPolicyFrom } from '../config/inventory_policy.js';
import { defaultCallbackOptionsFrom } from '../config/default_callback.js';
import type { DefaultCallbackOptions } from '../output/callback_options.js';
import { factCacheFrom, gatheringFrom, type FactCacheSettings, type Gathering } from '../facts/cache/settings.js';
import { PATTERN_MISMATCH_CHOICES } from '../inventory/patterns.js';
import { hashBehaviourFrom } from '../config/hash_behaviour.js';
import { useHashBehaviour } from '../vars/combine.js';
import { EXIT } from './main.js';
import { addAlias, collect, collectList, increase, pythonInt } from './options.js';
import { addVaultFlags, vaultSourcesFrom, type VaultFlags } from './vault_flags.js';
import { SecretRegistry } from '../secrets/registry.js';

export interface ApplyFlags extends VaultFlags {
  inventory: string[];
  limit?: string;
  check?: boolean;
  diff?: boolean;
  tags: string[];
  skipTags: string[];
  extraVars: string[];
  forks?: string;
  verbose: number;
  json?: boolean;
  startAtTask?: string;
  listTasks?: boolean;
  listTags?: boolean;
  listHosts?: boolean;
  syntaxCheck?: boolean;
  forceHandlers?: boolean;
  flushCache?: boolean;
  /** ansible-playbook's connection and privilege escalation flags: they beat ansible.cfg, and host variables beat them. */
  user?: string;
  privateKey?: string;
  connection?: string;
  timeout?: string;
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: string;
  askBecomePass?: boolean;
  becomePasswordFile?: string;
  /** -k and --connection-password-file: the SSH password when the host sets no ansible_password. */
  askPass?: boolean;
  connectionPasswordFile?: string;
  /** Below ansible_ssh_common_args / ansible_ssh_extra_args, as the ssh plugin ranks its options. */
  sshCommonArgs?: string;
  sshExtraArgs?: string;
  /** Taken for ansible-playbook's command lines; fleet moves files over its shell, never sftp or scp. */
  sftpExtraArgs?: string;
  scpExtraArgs?: string;
}

/** Where CLI.ask_passwords gets the passwords: the flags, whose defaults are ansible.cfg's (DEFAULT_ASK_PASS, CONNECTION_PASSWORD_FILE, …). */
export interface PasswordSources {
  askPass: boolean;
  connectionPasswordFile?: string;
  askBecomePass: boolean;
  becomePasswordFile?: string;
}

/** `configFile`: the ansible.cfg in use, which ansible-playbook names at -v (CLI.run). */
export type ApplyRunOptions = ApplyOptions & { passwords: PasswordSources; configFile: string | null; callback: DefaultCallbackOptions; logPath: string | null };

const DEFAULT_PLAYBOOK = 'playbooks/site.yml';
const DEFAULT_INVENTORY = 'inventory/hosts.yml';
const CONNECTION_TYPES = ['ssh', 'local', 'smart', 'paramiko'];

/** ansible-playbook's flags over ANSIBLE_* variables over ansible.cfg, as run options; deprecated settings first, as CLI.run names them. */
export function applyOptionsFrom(
  playbooks: string[],
  flags: ApplyFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  warn: (message: string) => void = () => {},
  deprecate: (message: string) => void = () => {},
): ApplyRunOptions {
  const config = loadConfig(cwd, env);
  for (const message of config.deprecations) deprecate(message);
  for (const message of config.warnings) warn(message);
  // Process-wide, as C.DEFAULT_HASH_BEHAVIOUR is: set before anything loads variables.
  useHashBehaviour(accepted(() => hashBehaviourFrom(config)));
  const inventory = flags.inventory.length > 0 ? flags.inventory : (config.paths('inventory') ?? []);
  const forks = flags.forks !== undefined ? Number(flags.forks) : accepted(() => integerSetting(config, 'forks', 'DEFAULT_FORKS', 16));
  if (!Number.isInteger(forks)) {
    throw new CommanderError(EXIT.badOptions, 'fleet.forks', `the number of forks (--forks, ANSIBLE_FORKS, ansible.cfg) must be a positive whole number, got ${flags.forks ?? forks}`);
  }
  // CLI.validate_conflicts: argparse's parser.error, whichever source the number came from.
  if (forks < 1) throw new CommanderError(EXIT.badUsage, 'fleet.forks', 'The number of processes (--forks) must be >= 1');
  const remoteUser = flags.user ?? config.get('remoteUser');
  const privateKeyFile = flags.privateKey ?? config.get('privateKeyFile');
  const timeoutSeconds = flags.timeout !== undefined ? Number(flags.timeout) : accepted(() => integerSetting(config, 'timeout', 'DEFAULT_TIMEOUT', 10));
  // 0 is what OpenSSH's ConnectTimeout=0 is under ansible-playbook: no timeout of its own.
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0) throw new CommanderError(EXIT.badOptions, 'fleet.timeout', `the connection timeout (--timeout, ANSIBLE_TIMEOUT, ansible.cfg) must be a whole number of seconds (0 for none), got ${flags.timeout ?? timeoutSeconds}`);
  if (flags.connection !== undefined && !CONNECTION_TYPES.includes(flags.connection)) {
    throw new CommanderError(EXIT.badOptions, 'fleet.connection', `--connection ${flags.connection}: fleet connects with ${CONNECTION_TYPES.join(', ')} (smart and paramiko mean ssh)`);
  }
  const { gathering, factCache } = factSettings(config, warn);
  const sshArgs = config.get('sshArgs');
  // The ssh plugin's cli entry beats its ini and env entries (and the host's variables beat all: connection_vars.ts).
  const sshCommonArgs = flags.sshCommonArgs ?? config.get('sshCommonArgs');
  const sshExtraArgs = flags.sshExtraArgs ?? config.get('sshExtraArgs');
  const connectionPasswordFile = flags.connectionPasswordFile ?? config.get('connectionPasswordFile');
  const becomePasswordFile = flags.becomePasswordFile ?? config.get('becomePasswordFile');
  const runTags = listSetting(config.get('runTags'));
  const gatherSubset = config.get('gatherSubset');
  const asyncDir = config.get('asyncDir');
  return {
    playbooks: playbooks.length > 0 ? playbooks : [DEFAULT_PLAYBOOK],
    inventory: inventory.length > 0 ? inventory : existsSync(resolve(cwd, DEFAULT_INVENTORY)) ? [DEFAULT_INVENTORY] : [],
    extraVars: flags.extraVars,
    configFile: config.file,
    callback: accepted(() => defaultCallbackOptionsFrom(config, flags.check === true)),
    // An empty setting is no log, as Display's `if path` has it.
    logPath: config.get('logPath') || null,
    rolesPath: rolesPathFrom(config, cwd),
    localhostWarning: configBool(config.get('localhostWarning'), true),
    inventoryPolicy: inventoryPolicyFrom(config),
    cwd,
    check: flags.check === true,
    diff: flags.diff === true,
    forks,
    verbosity: flags.verbose,
    tags: flags.tags.length > 0 ? flags.tags : runTags.length > 0 ? runTags : ['all'],
    skipTags: flags.skipTags.length > 0 ? flags.skipTags : listSetting(config.get('skipTags')),
    gathering,
    ...(gatherSubset !== undefined ? { gatherSubset: listSetting(gatherSubset) } : {}),
    ...(asyncDir !== undefined ? { asyncDir } : {}),
    factCache,
    flushCache: flags.flushCache === true,
    // store_true whose default is the setting: the flag can turn it on, never off.
    forceHandlers: flags.forceHandlers === true || configBool(config.get('forceHandlers'), false),
    errorOnMissingHandler: configBool(config.get('errorOnMissingHandler'), true),
    ...(config.get('strategy') ? { strategy: config.get('strategy') as string } : {}),
    privateRoleVars: configBool(config.get('privateRoleVars'), false),
    hostPatternMismatch: accepted(() => choiceSetting(config, 'hostPatternMismatch', 'HOST_PATTERN_MISMATCH', PATTERN_MISMATCH_CHOICES, 'warning')),
    become: {
      enabled: flags.become === true || configBool(config.get('become'), false),
      user: flags.becomeUser ?? config.get('becomeUser') ?? 'root',
      method: flags.becomeMethod ?? config.get('becomeMethod') ?? 'sudo',
      flags: config.get('becomeFlags') ?? '',
      ...(config.get('becomeExe') !== undefined ? { exe: config.get('becomeExe') as string } : {}),
    },
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
    ...(flags.startAtTask !== undefined ? { startAtTask: flags.startAtTask } : {}),
    vault: vaultSourcesFrom(flags, config, { autoPrompt: false, newPassword: false }),
    secrets: new SecretRegistry(),
    connection: {
      hostKeyChecking: configBool(config.get('hostKeyChecking'), true),
      timeoutSeconds,
      env,
      ...(flags.connection ? { connection: flags.connection === 'local' ? 'local' : 'ssh' } : {}),
      ...(remoteUser ? { remoteUser } : {}),
      ...(privateKeyFile ? { privateKeyFile } : {}),
      ...(sshArgs ? { sshArgs } : {}),
      ...(sshCommonArgs !== undefined ? { sshCommonArgs } : {}),
      ...(sshExtraArgs !== undefined ? { sshExtraArgs } : {}),
    },
    passwords: {
      askPass: flags.askPass === true || configBool(config.get('askPass'), false),
      askBecomePass: flags.askBecomePass === true || configBool(config.get('becomeAskPass'), false),
      ...(connectionPasswordFile !== undefined ? { connectionPasswordFile } : {}),
      ...(becomePasswordFile !== undefined ? { becomePasswordFile } : {}),
    },
  };
}

/**
 * A bad option or setting is printed as ansible-playbook prints an AnsibleOptionsError (main.ts
 * exits 5), one argparse refuses as its parser.error (exit 2).
 */
export function optionsOrError<T extends ApplyOptions>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CommanderError) process.stderr.write(error.exitCode === EXIT.badUsage ? `fleet apply: error: ${error.message}\n` : `ERROR: ${error.message}\n`);
    throw error;
  }
}

/** DEFAULT_GATHERING and the fact cache. */
function factSettings(config: ResolvedConfig, warn: (message: string) => void): { gathering: Gathering; factCache: FactCacheSettings } {
  return accepted(() => ({ gathering: gatheringFrom(config), factCache: factCacheFrom(config, warn) }));
}

/** What a setting gives, where a value Ansible rejects stops the run as bad options (exit 5). */
function accepted<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SettingError) throw new CommanderError(EXIT.badOptions, 'fleet.setting', error.message);
    throw error;
  }
}

/** ensure_type(value, 'list'): comma-separated and stripped, so an empty value is one empty item (TAGS_RUN '' runs only `always` tasks). */
function listSetting(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((part) => part.trim());
}

export function registerApplyCommand(program: Command): void {
  const command = program
    .command('apply')
    .description('Run playbooks against the inventory (like ansible-playbook)')
    .argument('[playbooks...]', `playbook files (default ${DEFAULT_PLAYBOOK})`)
    .option('-i, --inventory <source>', `inventory file, directory or host list (repeatable; default ${DEFAULT_INVENTORY})`, collect, [])
    .option('-l, --limit <pattern>', 'further limit selected hosts to a pattern')
    .option('-C, --check', "don't make any changes; predict some of the changes that may occur")
    .option('-D, --diff', 'show the differences in files and templates that change')
    .option('-t, --tags <tags>', 'only run plays and tasks tagged with these values', collectList, [])
    .option('--skip-tags <tags>', 'only run plays and tasks whose tags do not match these values', collectList, [])
    .option('-e, --extra-vars <vars>', 'set additional variables as key=value, YAML/JSON, or @file (repeatable)', collect, [])
    .option('-f, --forks <n>', 'number of hosts to run in parallel (default 16)', pythonInt)
    .option('-v, --verbose', 'more output (repeat for more)', increase, 0)
    .option('--start-at-task <name>', 'start the playbook at the task matching this name')
    .option('--json', 'print a machine-readable JSON report instead of text')
    .option('--list-tasks', 'list all tasks that would be executed')
    .option('--list-tags', 'list all available tags')
    .option('--list-hosts', 'outputs a list of matching hosts; does not execute anything else')
    .option('--syntax-check', 'perform a syntax check on the playbook, but do not execute it')
    .option('--force-handlers', 'run handlers even if a task fails')
    .option('--flush-cache', 'clear the fact cache for every host in inventory')
    .option('-u, --user <name>', 'connect as this user (host variables such as ansible_user still win)')
    .option('--private-key, --key-file <file>', 'use this file to authenticate the connection')
    .option('-c, --connection <type>', 'connection type when neither the host nor the play sets one: ssh or local')
    .option('-T, --timeout <seconds>', 'connection timeout in seconds (default 10)', pythonInt)
    .option('--ssh-common-args <args>', 'ssh options such as -o ProxyJump=… when the host sets no ansible_ssh_common_args')
    .option('--ssh-extra-args <args>', 'more ssh options when the host sets no ansible_ssh_extra_args')
    .option('--sftp-extra-args <args>', 'accepted and unused: fleet copies files over its SSH session, not sftp')
    .option('--scp-extra-args <args>', 'accepted and unused: fleet copies files over its SSH session, not scp')
    .option('-k, --ask-pass', 'ask for the connection (SSH) password')
    .addOption(new Option('--connection-password-file <file>', 'connection password file, or a script printing it (also --conn-pass-file)').conflicts('askPass'))
    .option('-b, --become', 'run operations with become (sudo)')
    .option('--become-user <user>', 'run operations as this user (default root)')
    .option('--become-method <method>', 'privilege escalation method to use (default sudo)')
    .option('-K, --ask-become-pass', 'ask for the privilege escalation password')
    .addOption(new Option('--become-password-file <file>', 'become password file, or a script printing it (also --become-pass-file)').conflicts('askBecomePass'));
  addAlias(command, '--conn-pass-file <file>', 'connection-password-file');
  addAlias(command, '--become-pass-file <file>', 'become-password-file');
  addAlias(command, '--inventory-file <source>', 'inventory');
  // The run's modules load when it starts, so other commands and --help never initialise them.
  addVaultFlags(command).action(async (playbooks: string[], flags: ApplyFlags) => (await import('./actions/apply.js')).applyAction(playbooks, flags));
}
