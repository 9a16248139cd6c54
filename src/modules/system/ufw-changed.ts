import { findPy, splitLines } from '../../template/python/text.js';

/**
 * ufw.py's change detection from `ufw status verbose` (the state before) and the user rules'
 * `### tuple` lines: how check mode decides each command would change something, and how
 * `logging` decides it in both modes.
 */

// compile_ipv4_regexp, compile_ipv6_regexp
const IPV4 = '((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])';
const IPV6 = [
  '(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:',
  '|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}',
  '(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4})',
  '{1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]',
  '{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]',
  '{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4})',
  '{0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]',
  '|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}',
  '[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}',
  '[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))',
].join('');

const search = { ipv4: new RegExp(IPV4), ipv6: new RegExp(IPV6) };
// re.match: anchored at the start only.
const startsWith = { ipv4: new RegExp(`^(?:${IPV4})`), ipv6: new RegExp(`^(?:${IPV6})`) };

const linesMatching = (content: string, test: (line: string) => boolean): string => splitLines(content, true).filter(test).join('');

/** The `state` command in check mode: enabling an inactive firewall, disabling an active one. */
export function stateWouldChange(value: string, preState: string): boolean {
  // "active" would also match "inactive", hence the space.
  const enabled = findPy(preState, ' active', null, null, false) !== -1;
  return (value === 'disabled' && enabled) || (value === 'enabled' && !enabled);
}

/** The `logging` command, in both modes: its level against the status's `Logging:` line. */
export function loggingChanges(value: string, preState: string): boolean {
  const extract = /Logging: (on|off)(?: \(([a-z]+)\))?/.exec(preState);
  if (extract === null) return true;
  const [, onOff, level] = extract;
  if (value === 'off') return onOff !== 'off';
  return onOff === 'off' || (value !== 'on' && value !== (level ?? null));
}

/** The `default` command in check mode: the direction's policy (incoming when none) differs, unless routing is disabled. */
export function defaultWouldChange(value: string, direction: string | null, preState: string): boolean {
  const extract = /Default: (deny|allow|reject) \(incoming\), (deny|allow|reject) \(outgoing\), (deny|allow|reject|disabled) \(routed\)/.exec(preState);
  if (extract === null) return true;
  const current: Record<string, string | undefined> = { incoming: extract[1], outgoing: extract[2], routed: extract[3] };
  const policy = current[direction ?? 'incoming'];
  return policy !== value && policy !== 'disabled';
}

/**
 * The rule in check mode: its dry run, unless every line of it says it skipped the rule, lists
 * the rules file's tuples, compared with the user rules' (only the IPv4 ones, or IPv6 ones,
 * when `from` or `to` starts with such an address).
 */
export function ruleWouldChange(dryRun: string, preRules: string, fromIp: string | null, toIp: string | null): boolean {
  const skipping = splitLines(dryRun, true).filter((line) => line.includes('Skipping')).length;
  if (skipping > 0 && skipping === splitLines(dryRun, true).length) return false;
  const tuples = linesMatching(dryRun, (line) => line.startsWith('### tuple'));
  const starts = (family: 'ipv4' | 'ipv6') => [fromIp, toIp].some((ip) => ip !== null && startsWith[family].test(ip));
  for (const family of ['ipv4', 'ipv6'] as const) {
    if (!starts(family)) continue;
    const only = (content: string) => linesMatching(content, (line) => search[family].test(line));
    return only(preRules) !== only(tuples);
  }
  return preRules !== tuples;
}
