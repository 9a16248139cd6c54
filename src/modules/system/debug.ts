import { pyEquals } from '../../template/python/compare.js';
import { PyUndefinedError } from '../../template/python/undefined.js';
import { PyDict, type PyValue } from '../../template/values.js';
import type { ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { given, verbosity } from './controller-args.js';

// plugins/action/debug.py: _VALID_ARGS msg, var, verbosity
const spec: ArgSpec = {
  options: {
    msg: { type: 'raw' },
    var: { type: 'raw' },
    verbosity: { type: 'int', default: 0 },
  },
  actionValidArgs: true,
};

/** Templar._convert_bare_variable: `foo.bar` or `x | filter` becomes `{{ foo.bar }}`. */
function convertBare(variable: PyValue, ctx: ModuleContext): PyValue {
  if (typeof variable !== 'string' || variable.includes('{{')) return variable;
  const firstPart = (variable.split('|')[0] as string).split('.')[0]!.split('[')[0] as string;
  return variable.includes('|') || ctx.vars.get(firstPart) !== undefined ? `{{${variable}}}` : variable;
}

const notDefined = (ctx: ModuleContext, reason: string): string =>
  verbosity(ctx) > 0 ? `VARIABLE IS NOT DEFINED!: ${reason}` : 'VARIABLE IS NOT DEFINED!';

/** debug's `var`: the variable's value, or "VARIABLE IS NOT DEFINED!". */
function showVariable(variable: PyValue, ctx: ModuleContext): PyValue {
  try {
    const results = ctx.templar.template(convertBare(variable, ctx));
    if (!pyEquals(results, variable)) return results;
    // Still the name itself: not a variable, unless the name is an expression Jinja can evaluate.
    if (typeof results !== 'string') return notDefined(ctx, '');
    return ctx.templar.template(`{{${results}}}`);
  } catch (err) {
    if (!(err instanceof PyUndefinedError)) throw err;
    return notDefined(ctx, err.ansibleText);
  }
}

function resultKey(variable: PyValue): string {
  if (Array.isArray(variable)) return "<class 'list'>";
  if (variable instanceof PyDict) return "<class 'dict'>";
  return String(variable);
}

export const debug: ModuleDef = {
  name: 'debug',
  spec,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args, ctx): Promise<ModuleResult> {
    if (given(args, 'msg') && given(args, 'var')) return { failed: true, msg: "'msg' and 'var' are incompatible options" };
    if (Number(args.get('verbosity')) > verbosity(ctx)) {
      return { skipped_reason: 'Verbosity threshold not met.', skipped: true, failed: false };
    }
    const result: ModuleResult = {};
    if (given(args, 'msg')) result.msg = args.get('msg') as string;
    else if (given(args, 'var')) result[resultKey(args.get('var') as PyValue)] = showVariable(args.get('var') as PyValue, ctx);
    else result.msg = 'Hello world!';
    result._ansible_verbose_always = true;
    result.failed = false;
    return result;
  },
};
