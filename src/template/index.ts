/**
 * fleet's Jinja2 engine: Jinja2 3.1.2 as Ansible 2.14's Templar configures and drives it.
 * The public API the rest of fleet codes against.
 */
export { Templar, OMIT, isOmit, type VariableSource, type TemplarOptions, type TemplateOptions, type RenderFileOptions } from './templar.js';
export type { PluginRegistry } from './plugins.js';
export { pyRepr, pyStr, pyTruthy, pyTypeName, pyEquals } from './python/index.js';
export { TemplateSyntaxError } from './syntax/errors.js';
export { DELIMITER_OPTIONS, type Delimiters, type SyntaxConfig } from './syntax/lexer.js';
