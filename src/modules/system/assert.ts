import { evaluateConditional } from '../../template/conditional.js';
import type { PyValue } from '../../template/values.js';
import type { ArgSpec } from '../argspec.js';
import type { ModuleDef, ModuleResult } from '../types.js';
import { given, looseBool } from './controller-args.js';

// plugins/action/assert.py: _VALID_ARGS fail_msg, msg, quiet, success_msg, that.
// `that` must reach this action untemplated (Ansible reads task.untemplated_args).
const spec: ArgSpec = {
  options: {
    that: { type: 'raw' },
    fail_msg: { type: 'raw' },
    msg: { type: 'raw' },
    success_msg: { type: 'raw' },
    quiet: { type: 'raw', default: false },
  },
  actionValidArgs: true,
};

class AssertArgumentError extends Error {}

function message(value: PyValue | undefined, fallback: string, what: string): PyValue {
  if (value === undefined || value === null) return fallback;
  if (Array.isArray(value)) {
    if (!value.every((item) => typeof item === 'string')) {
      throw new AssertArgumentError(`Type of one of the elements in ${what} list is not string type`);
    }
    return value;
  }
  if (typeof value !== 'string') throw new AssertArgumentError(`Incorrect type for ${what}, expected a string or list and got ${typeof value}`);
  return value;
}

export const assert: ModuleDef = {
  name: 'assert',
  spec,
  supportsCheckMode: true,
  controllerOnly: true,
  untemplatedArgs: ['that'],
  async run(args, ctx): Promise<ModuleResult> {
    if (!given(args, 'that')) return { failed: true, msg: 'conditional required in "that" string' };
    let failMsg: PyValue;
    let successMsg: PyValue;
    try {
      failMsg = message(given(args, 'fail_msg') ? args.get('fail_msg') : args.get('msg'), 'Assertion failed', 'fail_msg or msg');
      successMsg = message(args.get('success_msg'), 'All assertions passed', 'success_msg');
    } catch (err) {
      if (err instanceof AssertArgumentError) return { failed: true, msg: err.message };
      throw err;
    }
    const result: ModuleResult = {};
    if (!looseBool(args.get('quiet'))) result._ansible_verbose_always = true;
    let thats = args.get('that') as PyValue;
    if (typeof thats === 'string') thats = ctx.templar.template(thats);
    for (const that of Array.isArray(thats) ? thats : [thats]) {
      if (!evaluateConditional(ctx.templar, that)) {
        return Object.assign(result, { failed: true, evaluated_to: false, assertion: that, msg: failMsg as string });
      }
    }
    return Object.assign(result, { changed: false, msg: successMsg as string });
  },
};
