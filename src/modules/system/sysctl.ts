import { ShlexError } from '../../shell/shlex.js';
import { stripPy } from '../../template/python/text.js';
import type { Args, ArgSpec } from '../argspec.js';
import type { PyDict } from '../../template/values.js';
import type { AttributeWants } from '../files/attributes.js';
import { expandUser } from '../files/paths.js';
import { asResult } from '../files/results.js';
import { EditError, readForEdit, writeEdit } from '../files/text-edit.js';
import { paramsInvocation, type Invocation } from '../invocation.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { missingExecutable } from './bin-path.js';
import { moduleFailure } from './module-failure.js';
import { parseSysctlConf, parseValue, rewrittenConf, sysctlPlan, type SysctlWants } from './sysctl-conf.js';
import { queryScript, reloadCalls, setCall, stepsScript } from './sysctl-shell.js';

// ansible_collections/ansible/posix/plugins/modules/sysctl.py main()
const spec: ArgSpec = {
  options: {
    name: { type: 'str', required: true, aliases: ['key'] },
    value: { type: 'str', aliases: ['val'] },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
    reload: { type: 'bool', default: true },
    sysctl_set: { type: 'bool', default: false },
    ignoreerrors: { type: 'bool', default: false },
    sysctl_file: { type: 'path', default: '/etc/sysctl.conf' },
  },
  requiredIf: [['state', 'present', ['value']]],
};

// sysctl.py's write keeps the file's mode and owner (atomic_move) and sets none.
const NO_ATTRIBUTES: AttributeWants = { owner: null, group: null, mode: null };

/** main()'s checks, made before the module strips the name and parses the value. */
function blankFailure(args: Args): string | null {
  if (args.get('name') === '') return 'name cannot be blank';
  if (args.get('state') === 'present' && args.get('value') === '') return 'value cannot be blank';
  return null;
}

/** The name and value as SysctlModule rewrites them in its params. */
function wantsFrom(args: Args): SysctlWants {
  return {
    name: stripPy(args.get('name') as string, null, true, true),
    value: parseValue(args.get('value') as string | null),
    present: args.get('state') === 'present',
    reload: args.get('reload') === true,
    sysctlSet: args.get('sysctl_set') === true,
  };
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const blank = blankFailure(args);
  if (blank !== null) return { failed: true, changed: false, msg: blank };
  const wants = wantsFrom(args);
  const path = expandUser(args.get('sysctl_file') as string, ctx);
  const ignoreErrors = args.get('ignoreerrors') === true;
  try {
    const read = await readForEdit(path, NO_ATTRIBUTES, ctx, queryScript(ctx.userland, wants.name));
    const output = read.attributeOutput;
    if (output.fields.has('missing')) return { failed: true, changed: false, msg: missingExecutable('sysctl', field(output, 'missing')) };
    if (read.isDirectory) return { failed: true, changed: false, msg: `fleet's sysctl cannot replace ${path}: it is a directory` };
    const kernelValue = field(output, 'kernel_rc') === '0' ? field(output, 'kernel') : null;
    const conf = parseSysctlConf(read.exists ? read.text : '');
    const plan = sysctlPlan(wants, conf.values.get(wants.name) ?? null, kernelValue);
    if (ctx.check || !(plan.setKernel || plan.writeFile || plan.reload)) return { changed: plan.changed };
    const outcome = await writeEdit(
      {
        path,
        readSha1: read.sha1,
        content: plan.writeFile ? rewrittenConf(conf, wants.name, wants.value, wants.present) : null,
        createParents: false,
        backup: false,
        validate: null,
        attributes: NO_ATTRIBUTES,
        replaceLink: true,
        prepare: stepsScript(ctx.userland, plan.setKernel ? [setCall(ctx.userland, wants.name, wants.value, ignoreErrors)] : []),
        finish: stepsScript(ctx.userland, plan.reload ? reloadCalls(ctx.userland, path, ignoreErrors, conf.values, wants) : []),
      },
      ctx,
    );
    if (outcome.output.fields.has('step_failed')) return { failed: true, changed: false, msg: field(outcome.output, 'step_failed') + field(outcome.output, 'stdout') + field(outcome.output, 'stderr') };
    return { changed: plan.changed };
  } catch (error) {
    if (error instanceof EditError) return asResult(error.result);
    // run_command's shlex.split of a name or value with an unbalanced quote raises.
    if (error instanceof ShlexError) return moduleFailure({ stdout: '', stderr: `ValueError: ${error.message}\n`, rc: 1 });
    throw error;
  }
}

/**
 * SysctlModule strips the name and parses the value in the module's params, which the
 * invocation shows, once the module gets that far (not after required_if's or main()'s failures).
 */
function invocation(given: PyDict, args: Args): Invocation {
  const params = paramsInvocation(spec, given, args);
  const validated = args.get('state') === 'absent' || (args.get('state') === 'present' && args.get('value') !== null);
  if (!validated || blankFailure(args) !== null) return params;
  const wants = wantsFrom(args);
  params.module_args.set('name', wants.name);
  params.module_args.set('value', wants.value);
  return params;
}

export const sysctl: ModuleDef = { name: 'sysctl', aliases: ['ansible.posix.sysctl'], spec, supportsCheckMode: true, invocation, run };
