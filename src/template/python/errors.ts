import { TemplateError } from '../../errors.js';

export type PyExceptionName =
  | 'TypeError'
  | 'ValueError'
  | 'KeyError'
  | 'IndexError'
  | 'ZeroDivisionError'
  | 'AttributeError'
  | 'OverflowError'
  | 'UndefinedError'
  | 'TemplateNotFound'
  | 'TemplateRuntimeError'
  | 'RecursionError'
  | 'LookupError'
  | 'UnicodeEncodeError';

/**
 * A Python exception raised while evaluating a template (`1 + 'a'`, `'%d' % 'x'`…). The
 * message is Python's own text so that it reads the same as Ansible's error output.
 */
export class PyError extends TemplateError {
  constructor(
    readonly pyName: PyExceptionName,
    message: string,
    options: ConstructorParameters<typeof TemplateError>[1] = {},
  ) {
    super(message, options);
  }
}

export const typeError = (message: string): PyError => new PyError('TypeError', message);
export const valueError = (message: string): PyError => new PyError('ValueError', message);
