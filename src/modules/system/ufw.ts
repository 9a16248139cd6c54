import { stripPy } from '../../template/python/text.js';
import type { Args, ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { missingExecutable } from './bin-path.js';
import { moduleFailure } from './module-failure.js';
import { ModuleExit } from './run-command.js';
import { defaultWouldChange, loggingChanges, ruleWouldChange, stateWouldChange } from './ufw-changed.js';
import { ufwPlan, type UfwStep } from './ufw-plan.js';
import { ufwScript } from './ufw-shell.js';

// ansible_collections/community/general/plugins/modules/ufw.py main()
const spec: ArgSpec = {
  options: {
    state: { type: 'str', choices: ['enabled', 'disabled', 'reloaded', 'reset'] },
    default: { type: 'str', aliases: ['policy'], choices: ['allow', 'deny', 'reject'] },
    logging: { type: 'str', choices: ['full', 'high', 'low', 'medium', 'off', 'on'] },
    direction: { type: 'str', choices: ['in', 'incoming', 'out', 'outgoing', 'routed'] },
    delete: { type: 'bool', default: false },
    route: { type: 'bool', default: false },
    insert: { type: 'int' },
    insert_relative_to: { type: 'str', choices: ['zero', 'first-ipv4', 'last-ipv4', 'first-ipv6', 'last-ipv6'], default: 'zero' },
    rule: { type: 'str', choices: ['allow', 'deny', 'limit', 'reject'] },
    interface: { type: 'str', aliases: ['if'] },
    interface_in: { type: 'str', aliases: ['if_in'] },
    interface_out: { type: 'str', aliases: ['if_out'] },
    log: { type: 'bool', default: false },
    from_ip: { type: 'str', default: 'any', aliases: ['from', 'src'] },
    from_port: { type: 'str' },
    to_ip: { type: 'str', default: 'any', aliases: ['dest', 'to'] },
    to_port: { type: 'str', aliases: ['port'] },
    proto: { type: 'str', aliases: ['protocol'], choices: ['ah', 'any', 'esp', 'ipv6', 'tcp', 'udp', 'gre', 'igmp'] },
    name: { type: 'str', aliases: ['app'] },
    comment: { type: 'str' },
  },
  mutuallyExclusive: [
    ['name', 'proto', 'logging'],
    ['direction', 'interface_in'],
    ['direction', 'interface_out'],
  ],
  requiredOneOf: [['state', 'default', 'rule', 'logging']],
  requiredBy: { interface: ['direction'] },
};

/** One execute()'s run as the script recorded it under `prefix`, or null when the script ended before it. */
function ran(output: RemoteOutput, prefix: string): { rc: number; out: string; err: string } | null {
  if (!output.fields.has(`${prefix}rc`)) return null;
  return { rc: Number(field(output, `${prefix}rc`)), out: field(output, `${prefix}stdout`), err: field(output, `${prefix}stderr`) };
}

/** The steps' records read in order: the command lines execute() collected, each run's stdout, the module's failure where the script stopped. */
function readSteps(steps: readonly UfwStep[], output: RemoteOutput): { commands: string[]; stdout: string[] } {
  const commands: string[] = [];
  const stdout: string[] = [];
  const bin = (name: string) => field(output, `bin_${name}`);
  const execute = (line: string, program: string, prefix: string, ignoreError: boolean): string => {
    commands.push(`${bin(program)} ${line}`);
    const crash = output.fields.get(`${prefix}crash`);
    // run_command's shlex.split raising: the module dies.
    if (crash !== undefined) throw new ModuleExit(moduleFailure({ stdout: '', stderr: `ValueError: ${crash[0]}\n`, rc: 1 }));
    const run = ran(output, prefix);
    if (run === null) throw new Error(`fleet's ufw script ended before ${line}: ${output.stderr}`);
    if (run.rc !== 0 && !ignoreError) throw new ModuleExit({ failed: true, changed: false, msg: run.err || run.out, commands });
    return run.out;
  };
  steps.forEach((step, index) => {
    const prefix = `s${index}_`;
    if (step.kind === 'run') {
      stdout.push(execute(step.line, step.program, prefix, step.ignoreError));
      return;
    }
    const version = execute('--version', 'ufw', `${prefix}v_`, false);
    if (output.fields.has(`${prefix}version_failed`)) throw new ModuleExit({ failed: true, changed: false, msg: 'Failed to get ufw version.', rc: 0, out: version });
    const insertTo = field(output, `${prefix}insert`);
    const comment = field(output, `${prefix}comment`) === '1' ? step.comment : null;
    const line = [...step.head, ...(insertTo === '' ? [] : [`insert ${insertTo}`]), step.rest, ...(comment === null ? [] : [comment])].join(' ');
    stdout.push(execute(line, 'ufw', prefix, false));
  });
  return { commands, stdout };
}

const str = (args: Args, name: string): string | null => {
  const value = args.get(name);
  return typeof value === 'string' ? value : null;
};

/** What main() decides about `changed` from the commands' values and outputs before the final status. */
function changedBefore(args: Args, check: boolean, steps: readonly UfwStep[], stdout: readonly string[]): boolean {
  const [preState = '', preRules = ''] = stdout;
  const state = str(args, 'state');
  const logging = str(args, 'logging');
  let changed = state === 'reloaded' || state === 'reset';
  if (logging !== null && logging !== '' && loggingChanges(logging, preState)) changed = true;
  if (!check) return changed;
  if (state !== null && stateWouldChange(state, preState)) changed = true;
  const policy = str(args, 'default');
  if (policy !== null && defaultWouldChange(policy, str(args, 'direction'), preState)) changed = true;
  const ruleIndex = steps.findIndex((step) => step.kind === 'rule');
  if (ruleIndex >= 0 && ruleWouldChange(stdout[ruleIndex] ?? '', preRules, str(args, 'from_ip'), str(args, 'to_ip'))) changed = true;
  return changed;
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const plan = ufwPlan(args, ctx.check);
  const output = await ctx.remote(ufwScript(ctx.userland, plan), { readOnly: ctx.check });
  if (output.fields.has('missing')) return { failed: true, changed: false, msg: missingExecutable(field(output, 'missing_name'), field(output, 'missing')) };
  try {
    const { commands, stdout } = readSteps(plan.steps, output);
    if (plan.failure !== null) return { failed: true, changed: false, msg: plan.failure };
    let changed = changedBefore(args, ctx.check, plan.steps, stdout);
    if (ctx.check) return { changed, commands };
    // The last two steps: the status and rules read again (the rules only listed when nothing changed yet).
    const [preState, preRules] = stdout;
    const postState = stdout[stdout.length - 2] as string;
    if (!changed) changed = preState !== postState || preRules !== stdout[stdout.length - 1];
    else commands.pop();
    return { changed, commands, msg: stripPy(postState, null, false, true) };
  } catch (error) {
    if (error instanceof ModuleExit) return error.result;
    throw error;
  }
}

export const ufw: ModuleDef = { name: 'ufw', aliases: ['community.general.ufw'], spec, supportsCheckMode: true, asyncJob: true, run };
