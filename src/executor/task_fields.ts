import { FleetError, TemplateError } from '../errors.js';
import { TaskError } from '../errors_report.js';
import { conditionsOf } from '../playbook/inherit.js';
import type { Task } from '../playbook/model.js';
import { evaluateConditional } from '../template/conditional.js';
import { PyUndefinedError } from '../template/python/index.js';
import type { Templar } from '../template/index.js';
import type { PyValue } from '../template/values.js';

/**
 * Task.post_validate (FieldAttributeBase.post_validate in lib/ansible/playbook/base.py): a task
 * field whose template uses an undefined variable fails the task, the error at the task's YAML.
 */
export function templateTaskField(templar: Templar, task: Task, field: string, raw: PyValue): PyValue {
  try {
    return templar.template(raw, { source: task.at });
  } catch (error) {
    if (!(error instanceof PyUndefinedError)) throw error;
    throw undefinedTaskFieldError(task, field, error);
  }
}

export function undefinedTaskFieldError(task: Pick<Task, 'at'>, field: string, error: PyUndefinedError): TaskError {
  return new TaskError(undefinedFieldMessage(field, error.ansibleText), { location: task.at, cause: error });
}

/**
 * The same check by PlayContext.post_validate, for the connection and become fields: a
 * PlayContext has no YAML, so the error has no position, and ansible-playbook 2.14 shows the
 * undefined variable's text twice over in it.
 */
export function templatePlayContextField(templar: Templar, field: string, raw: PyValue): PyValue {
  try {
    return templar.template(raw);
  } catch (error) {
    if (!(error instanceof PyUndefinedError)) throw error;
    throw new FleetError(undefinedFieldMessage(field, `${error.ansibleText}. ${error.ansibleText}`), { cause: error });
  }
}

function undefinedFieldMessage(field: string, errorText: string): string {
  const what = field === 'args' ? 'The task includes an option with an undefined variable.' : `The field '${field}' has an invalid value, which includes an undefined variable.`;
  return `${what} The error was: ${errorText}`;
}

/**
 * The task's `when` (Conditional.evaluate_conditional, for a meta task in the strategy too): one
 * that cannot be evaluated is the task's error, at the task.
 */
export function whenHolds(templar: Templar, task: Task): boolean {
  try {
    return evaluateConditional(templar, conditionsOf(task), task.at);
  } catch (error) {
    if (error instanceof TemplateError) throw new TaskError(error.message, { location: task.at, cause: error });
    throw error;
  }
}
