import type { Args } from '../argspec.js';

/**
 * modules/iptables.py construct_rule and push_arguments: the iptables words of a rule, in the
 * module's order, from the validated parameters.
 */

const str = (args: Args, name: string): string | null => {
  const value = args.get(name);
  return typeof value === 'string' ? value : null;
};
const list = (args: Args, name: string): string[] => {
  const value = args.get(name);
  return Array.isArray(value) ? value.map(String) : [];
};

/** append_param: a value starting with `!` is negated (`! FLAG rest`). */
function param(rule: string[], value: string | null, flag: string): void {
  if (value === null) return;
  if (value.startsWith('!')) rule.push('!', flag, value.slice(1));
  else rule.push(flag, value);
}

/** append_match_flag */
function matchFlag(rule: string[], value: string | null, flag: string, negatable: boolean): void {
  if (value === 'match') rule.push(flag);
  else if (negatable && value === 'negate') rule.push('!', flag);
}

function csv(rule: string[], values: string[], flag: string): void {
  if (values.length > 0) rule.push(flag, values.join(','));
}

/** append_match: Python truthiness of the value decides. */
function match(rule: string[], value: string | string[] | null, name: string): void {
  if (value !== null && value.length > 0) rule.push('-m', name);
}

/** `jump` is the module's own params value, which main() may have set to LOG after the returned `rule` was built. */
export function constructRule(args: Args, jump: string | null, wait: string | null): string[] {
  const rule: string[] = [];
  const get = (name: string) => str(args, name);
  const matches = list(args, 'match');
  if (wait) rule.push('-w', wait);
  param(rule, get('protocol'), '-p');
  param(rule, get('source'), '-s');
  param(rule, get('destination'), '-d');
  for (const item of matches) param(rule, item, '-m');
  param(rule, jump, '-j');
  if (jump !== null && jump.toLowerCase() === 'tee') param(rule, get('gateway'), '--gateway');
  param(rule, get('log_prefix'), '--log-prefix');
  param(rule, get('log_level'), '--log-level');
  param(rule, get('to_destination'), '--to-destination');
  const ports = list(args, 'destination_ports');
  match(rule, ports, 'multiport');
  csv(rule, ports, '--dports');
  const paramFlags: [string, string][] = [
    ['to_source', '--to-source'],
    ['goto', '-g'],
    ['in_interface', '-i'],
    ['out_interface', '-o'],
    ['fragment', '-f'],
    ['set_counters', '-c'],
    ['source_port', '--source-port'],
    ['destination_port', '--destination-port'],
    ['to_ports', '--to-ports'],
    ['set_dscp_mark', '--set-dscp'],
    ['set_dscp_mark_class', '--set-dscp-class'],
  ];
  for (const [name, flag] of paramFlags) param(rule, get(name), flag);
  matchFlag(rule, get('syn'), '--syn', true);
  const ctstate = list(args, 'ctstate');
  if (matches.includes('conntrack')) csv(rule, ctstate, '--ctstate');
  else if (matches.includes('state')) csv(rule, ctstate, '--state');
  else if (ctstate.length > 0) {
    match(rule, ctstate, 'conntrack');
    csv(rule, ctstate, '--ctstate');
  }
  const srcRange = get('src_range');
  const dstRange = get('dst_range');
  if (!matches.includes('iprange')) match(rule, srcRange || dstRange, 'iprange');
  param(rule, srcRange, '--src-range');
  param(rule, dstRange, '--dst-range');
  const matchSet = get('match_set');
  if (matches.includes('set') || matchSet) {
    if (!matches.includes('set')) match(rule, matchSet, 'set');
    param(rule, matchSet, '--match-set');
    // append_match_flag(rule, 'match', params['match_set_flags'], False): the flags are the words appended.
    const flags = get('match_set_flags');
    if (flags !== null) rule.push(flags);
  }
  const limit = get('limit');
  const burst = get('limit_burst');
  match(rule, limit || burst, 'limit');
  param(rule, limit, '--limit');
  param(rule, burst, '--limit-burst');
  for (const [name, flag] of [
    ['uid_owner', '--uid-owner'],
    ['gid_owner', '--gid-owner'],
  ] as const) {
    const owner = get(name);
    match(rule, owner, 'owner');
    matchFlag(rule, owner, flag, true);
    param(rule, owner, flag);
  }
  const rejectWith = get('reject_with');
  if (jump === null && rejectWith) rule.push('-j', 'REJECT');
  param(rule, rejectWith, '--reject-with');
  param(rule, get('icmp_type'), get('ip_version') === 'ipv6' ? '--icmpv6-type' : '--icmp-type');
  const comment = get('comment');
  match(rule, comment, 'comment');
  param(rule, comment, '--comment');
  return rule;
}

/** push_arguments without the program: the chain word is dropped when None, as run_command drops it. */
export function pushArguments(args: Args, action: string, rule: string[] | null): string[] {
  const words = ['-t', str(args, 'table') ?? 'filter', action];
  const chain = str(args, 'chain');
  if (chain !== null) words.push(chain);
  const ruleNum = str(args, 'rule_num');
  if (action === '-I' && ruleNum) words.push(ruleNum);
  return rule === null ? words : [...words, ...rule];
}
