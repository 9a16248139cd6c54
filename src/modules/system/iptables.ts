import type { Args, ArgSpec } from '../argspec.js';
import type { PyDict } from '../../template/values.js';
import { paramsInvocation, type Invocation } from '../invocation.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { constructRule, pushArguments } from './iptables-rule.js';
import { field } from '../remote.js';
import { missingExecutable } from './bin-path.js';
import { iptablesScript, type IptablesPlan } from './iptables-shell.js';
import { checkRcFailure, ModuleExit, runCommand, type CommandRun } from './run-command.js';

// modules/iptables.py main()
const spec: ArgSpec = {
  options: {
    table: { type: 'str', default: 'filter', choices: ['filter', 'nat', 'mangle', 'raw', 'security'] },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    action: { type: 'str', default: 'append', choices: ['append', 'insert'] },
    ip_version: { type: 'str', default: 'ipv4', choices: ['ipv4', 'ipv6'] },
    chain: { type: 'str' },
    rule_num: { type: 'str' },
    protocol: { type: 'str' },
    wait: { type: 'str' },
    source: { type: 'str' },
    to_source: { type: 'str' },
    destination: { type: 'str' },
    to_destination: { type: 'str' },
    match: { type: 'list', elements: 'str', default: [] },
    tcp_flags: { type: 'dict' },
    jump: { type: 'str' },
    gateway: { type: 'str' },
    log_prefix: { type: 'str' },
    log_level: { type: 'str', choices: ['0', '1', '2', '3', '4', '5', '6', '7', 'emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'] },
    goto: { type: 'str' },
    in_interface: { type: 'str' },
    out_interface: { type: 'str' },
    fragment: { type: 'str' },
    set_counters: { type: 'str' },
    source_port: { type: 'str' },
    destination_port: { type: 'str' },
    destination_ports: { type: 'list', elements: 'str', default: [] },
    to_ports: { type: 'str' },
    set_dscp_mark: { type: 'str' },
    set_dscp_mark_class: { type: 'str' },
    comment: { type: 'str' },
    ctstate: { type: 'list', elements: 'str', default: [] },
    src_range: { type: 'str' },
    dst_range: { type: 'str' },
    match_set: { type: 'str' },
    match_set_flags: { type: 'str', choices: ['src', 'dst', 'src,dst', 'dst,src'] },
    limit: { type: 'str' },
    limit_burst: { type: 'str' },
    uid_owner: { type: 'str' },
    gid_owner: { type: 'str' },
    reject_with: { type: 'str' },
    icmp_type: { type: 'str' },
    syn: { type: 'str', default: 'ignore', choices: ['ignore', 'match', 'negate'] },
    flush: { type: 'bool', default: false },
    policy: { type: 'str', choices: ['ACCEPT', 'DROP', 'QUEUE', 'RETURN'] },
    chain_management: { type: 'bool', default: false },
  },
  mutuallyExclusive: [
    ['set_dscp_mark', 'set_dscp_mark_class'],
    ['flush', 'policy'],
  ],
  requiredIf: [
    ['jump', 'TEE', ['gateway']],
    ['jump', 'tee', ['gateway']],
  ],
};

/** One round trip: whether the rule or chain is as wanted, and the change when it is not; true when it was not. */
async function checkAndChange(ctx: ModuleContext, program: string, plan: IptablesPlan): Promise<boolean> {
  const output = await ctx.remote(iptablesScript(ctx.userland, program, plan), { readOnly: plan.changes.length === 0 });
  if (output.fields.has('missing')) throw new ModuleExit({ failed: true, changed: false, msg: missingExecutable(program, field(output, 'missing')) });
  if (!output.fields.has('present')) throw new ModuleExit({ failed: true, changed: false, msg: `fleet could not run ${program}: ${output.stderr}` });
  if (output.fields.has('rc')) throw new ModuleExit(checkRcFailure(output));
  return (field(output, 'present') === '1') !== plan.wantPresent;
}

const IPTABLES_WAIT_SUPPORT_ADDED = [1, 4, 20];
const IPTABLES_WAIT_WITH_SECONDS_SUPPORT_ADDED = [1, 6, 0];

const str = (args: Args, name: string): string | null => {
  const value = args.get(name);
  return typeof value === 'string' ? value : null;
};

/** main()'s jump: LOG when logging options are set without one (null: its failure). */
function jumpOf(args: Args): { jump: string | null; logMismatch: boolean } {
  const jump = str(args, 'jump');
  if (!str(args, 'log_prefix') && !str(args, 'log_level')) return { jump, logMismatch: false };
  if (jump === null) return { jump: 'LOG', logMismatch: false };
  return { jump, logMismatch: jump !== 'LOG' };
}

/** LooseVersion's comparison, for the leading dotted numbers `iptables --version` prints after its `v`. */
function atLeast(version: readonly number[], wanted: readonly number[]): boolean {
  for (let i = 0; i < wanted.length; i++) {
    const have = version[i] ?? -1;
    if (have !== wanted[i]) return have > (wanted[i] as number);
  }
  return true;
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  if (args.get('tcp_flags') !== null && args.get('tcp_flags') !== undefined) {
    return { failed: true, changed: false, msg: "fleet's iptables module does not support: tcp_flags" };
  }
  const program = args.get('ip_version') === 'ipv6' ? 'ip6tables' : 'iptables';
  const call = (words: string[], checkRc: boolean, readOnly = false): Promise<CommandRun> => runCommand(ctx, { program, words, checkRc, readOnly });
  const result: ModuleResult = {
    changed: false,
    failed: false,
    ip_version: args.get('ip_version'),
    table: args.get('table'),
    chain: args.get('chain'),
    flush: args.get('flush'),
    rule: constructRule(args, str(args, 'jump'), str(args, 'wait')).join(' '),
    state: args.get('state'),
    chain_management: args.get('chain_management'),
  };
  try {
    const { jump, logMismatch } = jumpOf(args);
    let wait = str(args, 'wait');
    const chainMissing = args.get('flush') === false && args.get('chain') === null;
    if (chainMissing || logMismatch || wait !== null) {
      // get_bin_path and get_iptables_version come first; the version only matters to `wait`.
      const version = await call(['--version'], true, true);
      if (chainMissing) return { failed: true, changed: false, msg: 'Either chain or flush parameter must be specified.' };
      if (logMismatch) return { failed: true, changed: false, msg: 'Logging options can only be used with the LOG jump target.' };
      const numbers = (version.stdout.split('v')[1] ?? '').split(/[^0-9.]/)[0]?.split('.').map(Number) ?? [];
      if (!atLeast(numbers, IPTABLES_WAIT_SUPPORT_ADDED)) wait = null;
      else if (!atLeast(numbers, IPTABLES_WAIT_WITH_SECONDS_SUPPORT_ADDED)) wait = '';
    }
    const rule = constructRule(args, jump, wait);
    const policy = str(args, 'policy');
    if (args.get('flush') === true) {
      result.changed = true;
      if (!ctx.check) await call(pushArguments(args, '-F', null), true);
    } else if (policy !== null) {
      const listed = await call(pushArguments(args, '-L', null), true, true);
      const current = /\(policy ([A-Z]+)\)/.exec(listed.stdout.split('\n')[0] ?? '')?.[1];
      if (current === undefined) return { failed: true, changed: false, msg: "Can't detect current policy" };
      result.changed = current !== policy;
      if (result.changed && !ctx.check) await call([...pushArguments(args, '-P', null), policy], true);
    } else if (args.get('state') === 'absent' && result.rule === '') {
      // The chain is reported as changed when present, and deleted only with chain_management.
      const remove = args.get('chain_management') === true && !ctx.check;
      result.changed = await checkAndChange(ctx, program, { query: pushArguments(args, '-L', null), wantPresent: false, changes: remove ? [{ words: pushArguments(args, '-X', null) }] : [] });
    } else {
      const present = args.get('state') === 'present';
      const add = [
        ...(args.get('chain_management') === true ? [{ unless: pushArguments(args, '-L', null), words: pushArguments(args, '-N', null) }] : []),
        { words: pushArguments(args, args.get('action') === 'insert' ? '-I' : '-A', rule) },
      ];
      const changes = ctx.check ? [] : present ? add : [{ words: pushArguments(args, '-D', rule) }];
      result.changed = await checkAndChange(ctx, program, { query: pushArguments(args, '-C', rule), wantPresent: present, changes });
    }
    return result;
  } catch (error) {
    if (error instanceof ModuleExit) return error.result;
    throw error;
  }
}

/** The invocation shows main()'s params as exit_json sees them: jump set to LOG for logging options. */
function invocation(given: PyDict, args: Args): Invocation {
  const params = paramsInvocation(spec, given, args);
  const chainMissing = args.get('flush') === false && args.get('chain') === null;
  const { jump, logMismatch } = jumpOf(args);
  if (!chainMissing && !logMismatch && params.module_args.has('jump')) params.module_args.set('jump', jump);
  return params;
}

export const iptables: ModuleDef = { name: 'iptables', spec, supportsCheckMode: true, invocation, run };
