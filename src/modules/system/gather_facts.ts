import { PyDict, type PyValue } from '../../template/values.js';
import { ArgumentError, lenientArgs, validateArgs, type ArgSpec } from '../argspec.js';
import { paramsInvocation } from '../invocation.js';
import type { ModuleDef, ModuleResult } from '../types.js';
import { setup } from './setup.js';

/** The module FACTS_MODULES' default, `smart`, picks on every host fleet reaches. */
const FACT_MODULE = 'ansible.legacy.setup';

/** The gather_facts action's own option; every other argument goes on to the facts module, which validates it. */
const spec: ArgSpec = { options: { parallel: { type: 'bool' } }, allowExtra: true };

/** The gather_facts action's result when its facts module failed: that module's result under failed_modules. */
function failedModule(failure: ModuleResult): ModuleResult {
  return { ansible_facts: new PyDict(), changed: false, failed: true, failed_modules: new PyDict([[FACT_MODULE, new PyDict(Object.entries(failure) as [string, PyValue][])]]), msg: `The following modules failed to execute: ${FACT_MODULE}\n` };
}

/**
 * The gather_facts action (what `- gather_facts:` runs as a task): the setup module with the
 * task's arguments but `parallel`, its facts, warnings and deprecations combined into one
 * result that -v does not print; a setup failure, argument errors included, is reported under
 * failed_modules as the action reports it.
 */
export const gatherFacts: ModuleDef = {
  name: 'gather_facts',
  spec,
  supportsCheckMode: true,
  invocation: false,
  async run(args, ctx) {
    // _get_module_args: the task's arguments without the action's own, and without the unset ones.
    const given = new PyDict([...args].filter(([key, value]) => key !== 'parallel' && value !== null));
    let setupArgs;
    try {
      setupArgs = validateArgs(setup.spec, given, FACT_MODULE);
    } catch (error) {
      if (!(error instanceof ArgumentError)) throw error;
      return failedModule({ failed: true, invocation: paramsInvocation(setup.spec, given, lenientArgs(setup.spec, given)), msg: error.message });
    }
    const result = await setup.run(setupArgs, ctx);
    if (result.failed === true) {
      // The module's own result, as fail_json gave it: `changed` is added only to a task's result.
      const { changed: _changed, ...failure } = result;
      return failedModule({ ...failure, invocation: paramsInvocation(setup.spec, given, setupArgs) });
    }
    const warnings = Array.isArray(result.warnings) ? result.warnings : [];
    const deprecations = Array.isArray(result.deprecations) ? result.deprecations : [];
    return { ansible_facts: result.ansible_facts, warnings, deprecations, failed: false, changed: false, _ansible_verbose_override: true };
  },
};
