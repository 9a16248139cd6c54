import { TemplateError } from '../../errors.js';
import { strRepr } from '../python/repr.js';
import { lazyRegExp } from '../unicode_regexp.js';

/** Jinja2's TemplateSyntaxError, positioned inside the template text (1-based line/col). */
export class TemplateSyntaxError extends TemplateError {
  constructor(
    message: string,
    readonly templateLine: number,
    readonly templateCol: number,
    /**
     * Raised while rendering (a filter or test looked up by a name the template computed),
     * not by the parser: Ansible's Templar does not wrap it as a parse error.
     */
    readonly duringRender = false,
  ) {
    super(message);
  }
}

// AnsibleCollectionRef.VALID_FQCR_RE (Python's `\w` is Unicode-aware, its `$` also matches before a final newline).
const validFqcr = lazyRegExp(() => /^[\p{L}\p{N}_]+(\.[\p{L}\p{N}_]+){2,}\n?$/u);

/** JinjaPluginIntercept's error for a filter or test it cannot load. */
export function couldNotLoad(name: string, line: number, col: number, duringRender: boolean): TemplateSyntaxError {
  const fqcr = name.includes('.') ? name : `ansible.builtin.${name}`;
  // The plugin loader's KeyError, shown as str(KeyError) shows its argument.
  const reason = validFqcr().test(fqcr) ? name : `invalid plugin name: ${fqcr}`;
  return new TemplateSyntaxError(`Could not load "${name}": ${strRepr(reason)}`, line, col, duringRender);
}
