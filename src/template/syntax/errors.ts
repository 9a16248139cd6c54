import { TemplateError } from '../../errors.js';

/** Jinja2's TemplateSyntaxError, positioned inside the template text (1-based line/col). */
export class TemplateSyntaxError extends TemplateError {
  constructor(
    message: string,
    readonly templateLine: number,
    readonly templateCol: number,
  ) {
    super(message);
  }
}
