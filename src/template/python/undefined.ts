import { PyUndefined } from '../values.js';
import { PyError } from './errors.js';

/**
 * An undefined value as the evaluator creates it: Ansible's AnsibleUndefined (strict: using
 * it raises) or, for an inline `if` without `else`, Jinja2's plain Undefined (lenient: prints
 * as '', is false, iterates as empty). `line`/`col` say where in the template it came from.
 */
export class JinjaUndefined extends PyUndefined {
  constructor(
    hint: string,
    readonly lenient = false,
    readonly line?: number,
    readonly col?: number,
    /** The template file it was written in, when not the template being rendered. */
    readonly origin?: { file: string; source: string },
  ) {
    super(hint);
  }
}

export const isLenient = (v: PyUndefined): boolean => v instanceof JinjaUndefined && v.lenient;

/**
 * Using an undefined value fails as Ansible's AnsibleUndefined (a StrictUndefined) does:
 * printing, comparing, iterating or testing its truth raises with the undefined hint.
 */
export class PyUndefinedError extends PyError {
  constructor(readonly undefinedValue: PyUndefined) {
    super('UndefinedError', undefinedValue.hint);
  }

  /** What Ansible shows of it: AnsibleUndefinedVariable(e, orig_exc=e) reads the message, '. ', then the original's. */
  get ansibleText(): string {
    return `${this.message}. ${this.message}`;
  }
}

export const undefinedError = (u: PyUndefined): PyUndefinedError => new PyUndefinedError(u);
