import { FleetError } from '../../errors.js';
import { undefinedTaskFieldError } from '../../executor/task_fields.js';
import type { Templar } from '../../template/index.js';
import { pyRepr, pyTypeName } from '../../template/python/index.js';
import { PyUndefinedError } from '../../template/python/undefined.js';
import { PyDict, PyUnsafe, type PyValue } from '../../template/values.js';
import type { ArgSpec } from '../argspec.js';
import { argumentSpecErrors, type ClassName } from '../argspec_validator.js';
import type { ModuleDef, ModuleResult } from '../types.js';

// plugins/action/validate_argument_spec.py reads its arguments itself (no _VALID_ARGS): every
// key is passed through as given, so a null `argument_spec` is told from a missing one.
const spec: ArgSpec = { options: {}, allowExtra: true };

/** Every string inside a value (a template's result is rebuilt from text: all of it is plain str). */
function stringsIn(value: PyValue, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, into);
  else if (value instanceof PyDict) for (const [key, item] of value) (stringsIn(key as PyValue, into), stringsIn(item, into));
}

/**
 * Templar.template over a value, noting which strings templating produced: Ansible leaves a
 * string that holds no template as it was loaded (AnsibleUnicode), and type errors name the class.
 */
function templated(value: PyValue, templar: Templar, produced: Set<string>): PyValue {
  if (typeof value === 'string') {
    if (!templar.isTemplate(value)) return value;
    const result = templar.template(value);
    stringsIn(result, produced);
    return result;
  }
  if (Array.isArray(value)) return value.map((item) => templated(item, templar, produced));
  if (value instanceof PyDict) return new PyDict([...value].map(([key, item]) => [key, templated(item, templar, produced)]));
  return value;
}

function classNames(produced: Set<string>): ClassName {
  return (value) => {
    if (typeof value === 'string') return produced.has(value) ? "<class 'str'>" : "<class 'ansible.parsing.yaml.objects.AnsibleUnicode'>";
    if (value instanceof PyUnsafe) return "<class 'ansible.utils.unsafe_proxy.AnsibleUnsafeText'>";
    return `<class '${pyTypeName(value)}'>`;
  };
}

export const validateArgumentSpec: ModuleDef = {
  name: 'validate_argument_spec',
  spec,
  supportsCheckMode: true,
  controllerOnly: true,
  invocation: false,
  // templated here, to tell loaded strings from templated ones in type errors
  untemplatedArgs: ['provided_arguments'],
  async run(args, ctx): Promise<ModuleResult> {
    const produced = new Set<string>();
    const className = classNames(produced);
    // TaskExecutor templates the task's arguments before the action runs: an undefined
    // variable there is the task's field error, at the task.
    let provided: PyValue = new PyDict();
    try {
      if (args.has('provided_arguments')) provided = templated(args.get('provided_arguments') as PyValue, ctx.templar, produced);
    } catch (err) {
      if (err instanceof PyUndefinedError) throw undefinedTaskFieldError(ctx.task, 'args', err);
      throw err;
    }
    // The action's AnsibleError: the task's result is only the message.
    if (!args.has('argument_spec')) throw new FleetError(`"argument_spec" arg is required in args: ${pyRepr(new PyDict(args))}`);
    const argumentSpec = args.get('argument_spec') as PyValue;
    if (!(argumentSpec instanceof PyDict)) throw new FleetError(`Incorrect type for argument_spec, expected dict and got ${className(argumentSpec)}`);
    if (!(provided instanceof PyDict)) throw new FleetError(`Incorrect type for provided_arguments, expected dict and got ${className(provided)}`);
    // get_args_from_task_vars: each option the spec names that is a variable, templated; the provided arguments win
    const parameters = new PyDict();
    try {
      for (const name of argumentSpec.keys()) {
        const value = ctx.vars.get(String(name));
        if (value !== undefined) parameters.set(name, templated(value, ctx.templar, produced));
      }
    } catch (err) {
      if (err instanceof PyUndefinedError) throw new FleetError(err.ansibleText);
      throw err;
    }
    for (const [key, value] of provided) parameters.set(key, value);
    const result: ModuleResult = { validate_args_context: args.has('validate_args_context') ? args.get('validate_args_context') : new PyDict() };
    const errors = argumentSpecErrors(argumentSpec, parameters, className);
    if (errors.length > 0) {
      return Object.assign(result, {
        failed: true,
        msg: `Validation of arguments failed:\n${errors.join('\n')}`,
        argument_spec_data: argumentSpec,
        argument_errors: errors,
      });
    }
    return Object.assign(result, { changed: false, msg: 'The arg spec validation passed' });
  },
};
