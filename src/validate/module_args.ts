import { ArgumentError, validateArgs } from '../modules/argspec.js';
import { findModule } from '../modules/index.js';
import type { Task } from '../playbook/model.js';
import { isTemplate } from '../playbook/validate.js';
import { PyDict, PyTuple, type PyValue } from '../template/values.js';
import type { Problems } from './problems.js';

function holdsTemplate(value: PyValue): boolean {
  if (isTemplate(value)) return true;
  if (Array.isArray(value) || value instanceof PyTuple) return (Array.isArray(value) ? value : value.items).some(holdsTemplate);
  if (value instanceof PyDict) return [...value.values()].some(holdsTemplate);
  return false;
}

/**
 * A task's arguments against its module's argspec, as the executor checks them when the
 * task runs (run_task.ts moduleArgs), for tasks none of whose arguments is templated: a
 * templated value is only known on the host's turn.
 */
export function checkModuleArgs(task: Task, problems: Problems): void {
  const def = findModule(task.action);
  if (!def || [...task.args.values()].some(holdsTemplate)) return;
  try {
    validateArgs(def.spec, task.args, task.actionAs.startsWith('ansible.') ? task.actionAs : def.name);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    problems.add(task.at, error.message);
  }
}
