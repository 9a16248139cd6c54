import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { withProxyJump } from '../connections/proxy-jump.js';
import type { HostKeyChecking, SshTarget } from '../connections/types.js';
import { shlexSplit } from '../shell/shlex.js';
import type { Templar, VariableSource } from '../template/index.js';
import { pyStr } from '../template/python/index.js';
import type { PyValue } from '../template/values.js';

/** How to reach a host, from its (templated) connection variables. */
/** `persistSeconds`: ControlPersist's, when the connection is kept after the run (0: until it breaks). */
export type ConnectionPlan = { kind: 'local'; host: string } | { kind: 'ssh'; target: SshTarget; persistSeconds?: number };

/** ssh_args when none is configured: the ssh connection plugin's default. */
const DEFAULT_SSH_ARGS = '-C -o ControlMaster=auto -o ControlPersist=60s';

export interface ConnectionDefaults {
  remoteUser?: string;
  privateKeyFile?: string;
  hostKeyChecking: boolean;
  timeoutSeconds: number;
  env: NodeJS.ProcessEnv;
  /** [ssh_connection] ssh_args / ANSIBLE_SSH_ARGS: read for -o options like the per-host args. */
  sshArgs?: string;
  /** `-c`: the connection type when neither ansible_connection nor the `connection:` keyword sets one. */
  connection?: string;
  /** --ssh-common-args / --ssh-extra-args: the host's ansible_ssh_common_args / ansible_ssh_extra_args beat them. */
  sshCommonArgs?: string;
  sshExtraArgs?: string;
  /** -k's answer or --connection-password-file's password: the host's ansible_password beats it. */
  password?: string;
}

type Lookup = (name: string) => PyValue | undefined;

/** ConnectionBase.reset's warning, which the local connection plugin does not override. */
export const RESET_NOT_IMPLEMENTED = 'Reset is not implemented for this connection';

/**
 * A host's connection variables as its task sees them, templated; the `connection:` keyword
 * (play, block or task) stands in for an ansible_connection the host does not set.
 */
export function taskConnectionLookup(scope: VariableSource, templar: Templar, connectionKeyword: PyValue | undefined): Lookup {
  return (name) => {
    const value = scope.get(name);
    if (value === undefined && name === 'ansible_connection') return connectionKeyword ?? undefined;
    return value === undefined ? undefined : templar.template(value);
  };
}

/**
 * A connection option's value from the variables that can set it, in the ssh plugin's order:
 * the last one defined wins (ConfigManager._loop_entries), so `ansible_ssh_host` beats
 * `ansible_host` and `ansible_ssh_user` beats `ansible_user` wherever each is set.
 */
function lastDefined(lookup: Lookup, ...names: string[]): PyValue | undefined {
  return names.map((name) => lookup(name)).filter((value) => value !== undefined && value !== null).at(-1);
}

/** The variable that gives the address to connect to, if the host sets one. */
export function addressVariable(lookup: Lookup): PyValue | undefined {
  return lastDefined(lookup, 'ansible_host', 'ansible_ssh_host');
}

function text(value: PyValue | undefined): string | undefined {
  return value === undefined || value === null ? undefined : pyStr(value);
}

/**
 * `-o Key=Value` / `-o Key Value` / `-J jump` options of ssh_args, ansible_ssh_common_args and
 * ansible_ssh_extra_args, in the order Ansible passes them; OpenSSH keeps the first value given.
 */
function sshOptions(args: string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '-o' || arg === '-J') {
      const value = args[i + 1] ?? '';
      i += 1;
      if (arg === '-J') setFirst(options, 'proxyjump', value);
      else {
        const match = /^([A-Za-z]+)\s*[= ]\s*(.*)$/.exec(value);
        if (match) setFirst(options, (match[1] as string).toLowerCase(), match[2] as string);
      }
    } else if (arg.startsWith('-o')) {
      const match = /^-o([A-Za-z]+)=(.*)$/.exec(arg);
      if (match) setFirst(options, (match[1] as string).toLowerCase(), match[2] as string);
    }
  }
  return options;
}

function setFirst(options: Map<string, string>, key: string, value: string): void {
  if (!options.has(key)) options.set(key, value);
}

/** host_key_checking=False makes Ansible pass StrictHostKeyChecking=no ahead of the user's args. */
function hostKeyMode(option: string | undefined, checking: boolean): HostKeyChecking {
  if (!checking) return 'off';
  switch (option?.toLowerCase()) {
    case 'no':
    case 'off':
      return 'off';
    case 'accept-new':
      return 'accept-new';
    default:
      return 'strict';
  }
}

function expandHome(path: string): string {
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

/** The connection plugin a host is reached by: its ansible_connection, else `-c`, else ssh. */
export function connectionType(lookup: Lookup, defaults: ConnectionDefaults): string {
  return text(lookup('ansible_connection')) ?? defaults.connection ?? 'ssh';
}

/** Where an ssh connection leads: what OpenSSH's ControlPath (`%C`) is made of. */
function sshEndpoint(host: string, lookup: Lookup, defaults: ConnectionDefaults): Pick<SshTarget, 'address' | 'port' | 'user'> {
  return {
    address: text(addressVariable(lookup)) ?? host,
    port: Number(text(lastDefined(lookup, 'ansible_port', 'ansible_ssh_port')) ?? 22),
    user: text(lastDefined(lookup, 'ansible_user', 'ansible_ssh_user')) ?? defaults.remoteUser ?? userInfo().username,
  };
}

/**
 * What makes two connections one: for ssh the address, port and user that OpenSSH's
 * ControlPath (`%C`) is made of, so Ansible's persistent connection is reused exactly when
 * they stay the same; a changed key file or option alone keeps the open connection.
 */
export function endpointOf(plan: ConnectionPlan): string {
  return plan.kind === 'local' ? 'local' : endpointKey(plan.target);
}

function endpointKey(target: Pick<SshTarget, 'address' | 'port' | 'user'>): string {
  return JSON.stringify(['ssh', target.address, target.port, target.user]);
}

/**
 * endpointOf(planConnection(…)) from just the variables that decide it: asked before every
 * task, as Ansible's TaskExecutor makes each task's connection from the variables it sees then.
 */
export function plannedEndpoint(host: string, lookup: Lookup, defaults: ConnectionDefaults): string {
  return connectionType(lookup, defaults) === 'local' ? 'local' : endpointKey(sshEndpoint(host, lookup, defaults));
}

/**
 * Ansible's connection variables (ansible_connection, ansible_host, ansible_port,
 * ansible_user, ansible_ssh_private_key_file, ansible_ssh_common_args/extra_args,
 * ansible_host_key_checking, ansible_ssh_timeout) turned into a connection plan.
 */
export function planConnection(host: string, lookup: Lookup, defaults: ConnectionDefaults): ConnectionPlan {
  if (connectionType(lookup, defaults) === 'local') return { kind: 'local', host };
  const extra = [defaults.sshArgs ?? DEFAULT_SSH_ARGS, text(lookup('ansible_ssh_common_args')) ?? defaults.sshCommonArgs, text(lookup('ansible_ssh_extra_args')) ?? defaults.sshExtraArgs]
    .filter((value): value is string => value !== undefined)
    .flatMap((value) => shlexSplit(value));
  const options = sshOptions(extra);
  const checkingVar = lastDefined(lookup, 'ansible_host_key_checking', 'ansible_ssh_host_key_checking');
  const checking = checkingVar === undefined ? defaults.hostKeyChecking : !/^(false|no|0|off)$/i.test(text(checkingVar) ?? '');
  const keyFile = text(lastDefined(lookup, 'ansible_private_key_file', 'ansible_ssh_private_key_file')) ?? defaults.privateKeyFile;
  const knownHosts = options.get('userknownhostsfile') ?? join(homedir(), '.ssh', 'known_hosts');
  const timeout = Number(text(lastDefined(lookup, 'ansible_timeout', 'ansible_ssh_timeout')) ?? defaults.timeoutSeconds);
  const target: SshTarget = {
    host,
    ...sshEndpoint(host, lookup, defaults),
    knownHostsFile: resolve(expandHome(knownHosts)),
    hostKeyChecking: hostKeyMode(options.get('stricthostkeychecking'), checking),
    // 0: no timeout, as OpenSSH's ConnectTimeout=0 and ssh2's readyTimeout 0.
    connectTimeoutMs: (Number.isFinite(timeout) && timeout >= 0 ? timeout : 10) * 1000,
    useAgent: defaults.env.SSH_AUTH_SOCK !== undefined,
  };
  if (defaults.env.SSH_AUTH_SOCK !== undefined) target.agentSocket = defaults.env.SSH_AUTH_SOCK;
  const aliveSeconds = Number(options.get('serveraliveinterval'));
  if (aliveSeconds > 0) target.serverAlive = { intervalMs: aliveSeconds * 1000, countMax: Number(options.get('serveralivecountmax') ?? 3) || 3 };
  if (keyFile) target.privateKeyFile = resolve(expandHome(keyFile));
  const password = text(lastDefined(lookup, 'ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password')) ?? defaults.password;
  if (password) target.password = password;
  const jump = options.get('proxyjump');
  const plan: ConnectionPlan = { kind: 'ssh', target: jump ? withProxyJump(target, jump) : target };
  const persistSeconds = controlPersist(options);
  if (persistSeconds !== undefined) plan.persistSeconds = persistSeconds;
  return plan;
}

/**
 * How long OpenSSH would keep the connection after the run from ControlMaster and
 * ControlPersist (seconds; 0 forever), or undefined when it would not: no master (`no`, or
 * unset), or no persistence (`no`, unset, or a time it cannot read).
 */
function controlPersist(options: Map<string, string>): number | undefined {
  const master = options.get('controlmaster')?.toLowerCase();
  if (master === undefined || master === 'no') return undefined;
  const persist = options.get('controlpersist')?.toLowerCase();
  if (persist === undefined || persist === 'no') return undefined;
  if (persist === 'yes') return 0;
  return sshTimeSeconds(persist);
}

const TIME_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** OpenSSH's time format (sshd_config(5) TIME FORMATS): `90`, `60s`, `1h30m`. */
function sshTimeSeconds(value: string): number | undefined {
  if (!/^(\d+[smhdw]?)+$/.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+)([smhdw]?)/g)) total += Number(amount) * (TIME_UNITS[unit ?? ''] ?? 1);
  return total;
}
