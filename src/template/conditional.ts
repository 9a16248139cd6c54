import { TemplateError, type SourceLocation } from '../errors.js';
import { pyStr } from './python/str.js';
import { PyUndefinedError } from './python/undefined.js';
import type { Templar } from './templar.js';
import type { PyValue } from './values.js';

/**
 * Conditional.evaluate_conditional, as a task's `when`, `changed_when`, `failed_when`, `until`
 * and the assert action call it: the templar's verdict on each conditional in turn, and any
 * failure worded as Ansible words it — "The conditional check 'x' failed. The error was: …",
 * an undefined variable as _check_conditional's "error while evaluating conditional (x): …".
 */
export function evaluateConditional(templar: Templar, condition: PyValue, source?: SourceLocation): boolean {
  for (const conditional of Array.isArray(condition) ? condition : [condition]) {
    try {
      if (!templar.evaluateConditional(conditional, { source })) return false;
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      throw new TemplateError(`The conditional check '${pyStr(conditional)}' failed. The error was: ${reason(conditional, error)}`, { cause: error });
    }
  }
  return true;
}

function reason(conditional: PyValue, error: Error): string {
  if (error instanceof PyUndefinedError) return `error while evaluating conditional (${pyStr(conditional)}): ${error.ansibleText}`;
  return error.message;
}
