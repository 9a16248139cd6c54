import { pyStr } from '../../template/python/index.js';
import { pyTruthy } from '../../template/python/truthy.js';
import type { PyValue } from '../../template/values.js';
import type { Args } from '../argspec.js';

/**
 * community.general's ufw.py main() as a list of the commands it executes, in order, up to the
 * failure its own checks raise between them. Each command is the text execute() joins after the
 * program's path (shlex-split by run_command, then run with LANG=C).
 */

/** An execute() the plan knows in full. `ignoreError`: its failure does not end the module (the rules grep). */
export interface UfwRun {
  kind: 'run';
  program: 'ufw' | 'grep';
  line: string;
  ignoreError: boolean;
}

/**
 * The rule's commands: `ufw status numbered` when the insert position is relative (not
 * listed among the commands), `ufw --version` (whether `comment` is supported), then the rule:
 * `head`, `insert N` (N: `insert`, or the position computed from the numbered status, the
 * words left out when it is past the last rule), then `rest` and, when supported, `comment`.
 */
export interface UfwRule {
  kind: 'rule';
  head: string[];
  insert: { at: string } | { relativeTo: string; offset: string } | null;
  rest: string;
  comment: string | null;
}

export type UfwStep = UfwRun | UfwRule;

export interface UfwPlan {
  steps: UfwStep[];
  /** The module's own failure once the steps ran (fail_json without `commands`). */
  failure: string | null;
}

const USER_RULES_FILES = ['/lib/ufw/user.rules', '/lib/ufw/user6.rules', '/etc/ufw/user.rules', '/etc/ufw/user6.rules', '/var/lib/ufw/user.rules', '/var/lib/ufw/user6.rules'];

/** get_current_rules() */
export const RULES_GREP: UfwRun = { kind: 'run', program: 'grep', line: ["-h", "'^### tuple'", ...USER_RULES_FILES].join(' '), ignoreError: true };
export const STATUS: UfwRun = { kind: 'run', program: 'ufw', line: 'status verbose', ignoreError: false };

export const COMMAND_KEYS = ['state', 'default', 'rule', 'logging'] as const;
const STATES: Record<string, string> = { enabled: 'enable', disabled: 'disable', reloaded: 'reload', reset: 'reset' };

/** execute()'s join: the pieces whose condition holds. */
const joined = (pieces: readonly (readonly [PyValue, string])[]): string =>
  pieces
    .filter(([condition]) => pyTruthy(condition))
    .map(([, text]) => text)
    .join(' ');

function ruleStep(args: Args, check: boolean): UfwRule {
  const get = (name: string): PyValue => args.get(name) ?? null;
  const head = [check ? '--dry-run' : '', get('route') === true ? 'route' : '', get('delete') === true ? 'delete' : ''].filter((word) => word !== '');
  let insert: UfwRule['insert'] = null;
  if (get('insert') !== null && get('delete') !== true) {
    const offset = pyStr(get('insert'));
    const relativeTo = get('insert_relative_to') as string;
    insert = relativeTo === 'zero' ? { at: offset } : { relativeTo, offset };
  }
  const str = (name: string) => pyStr(get(name));
  const rest = joined([
    [get('rule'), str('rule')],
    [get('direction'), str('direction')],
    [get('interface'), `on ${str('interface')}`],
    [get('interface_in'), `in on ${str('interface_in')}`],
    [get('interface_out'), `out on ${str('interface_out')}`],
    [get('log'), 'log'],
    [get('from_ip'), `from ${str('from_ip')}`],
    [get('from_port'), `port ${str('from_port')}`],
    [get('to_ip'), `to ${str('to_ip')}`],
    [get('to_port'), `port ${str('to_port')}`],
    [get('proto'), `proto ${str('proto')}`],
    [get('name'), `app '${str('name')}'`],
  ]);
  return { kind: 'rule', head, insert, rest, comment: pyTruthy(get('comment')) ? `comment '${str('comment')}'` : null };
}

/** main()'s loop over the commands given, in COMMAND_KEYS' order. */
export function ufwPlan(args: Args, check: boolean): UfwPlan {
  const steps: UfwStep[] = [STATUS, RULES_GREP];
  const run = (line: string): UfwRun => ({ kind: 'run', program: 'ufw', line: joined([[check, '--dry-run'], [true, line]]), ignoreError: false });
  const direction: PyValue = args.get('direction') ?? null;
  for (const key of COMMAND_KEYS) {
    const value: PyValue = args.get(key) ?? null;
    if (!pyTruthy(value)) continue;
    if (key === 'state') {
      if (!check) steps.push(run(`-f ${STATES[value as string]}`));
    } else if (key === 'default') {
      if (direction !== null && !['outgoing', 'incoming', 'routed'].includes(direction as string)) {
        return { steps, failure: 'For default, direction must be one of "outgoing", "incoming" and "routed", or direction must not be specified.' };
      }
      if (!check) steps.push(run(joined([[true, `default ${pyStr(value)}`], [direction, pyStr(direction)]])));
    } else if (key === 'rule') {
      if (direction !== null && direction !== 'in' && direction !== 'out') {
        return { steps, failure: 'For rules, direction must be one of "in" and "out", or direction must not be specified.' };
      }
      if (args.get('route') !== true && pyTruthy(args.get('interface_in') ?? null) && pyTruthy(args.get('interface_out') ?? null)) {
        return { steps, failure: 'Only route rules can combine interface_in and interface_out' };
      }
      steps.push(ruleStep(args, check));
    } else if (!check) {
      steps.push(run(`logging ${pyStr(value)}`));
    }
  }
  if (!check) steps.push(STATUS, RULES_GREP);
  return { steps, failure: null };
}
