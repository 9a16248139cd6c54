import type { PyUndefined } from '../values.js';
import { PyError } from './errors.js';

/**
 * Using an undefined value fails as Ansible's AnsibleUndefined (a StrictUndefined) does:
 * printing, comparing, iterating or testing its truth raises with the undefined hint.
 */
export class PyUndefinedError extends PyError {
  constructor(readonly undefinedValue: PyUndefined) {
    super('TypeError', undefinedValue.hint);
    this.name = 'PyUndefinedError';
  }
}

export const undefinedError = (u: PyUndefined): PyUndefinedError => new PyUndefinedError(u);
