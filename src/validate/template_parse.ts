import { TemplateError } from '../errors.js';
import { defaultPlugins } from '../template/plugins.js';
import { compileTemplate } from '../template/runtime/compile.js';
import type { TemplateAst } from '../template/syntax/ast.js';
import { TemplateSyntaxError } from '../template/syntax/errors.js';
import { ANSIBLE_SYNTAX, escapeBackslashes, tokenize } from '../template/syntax/lexer.js';
import { Parser } from '../template/syntax/parser.js';

/** How a text is templated: a template file, a YAML value (Templar.template), or a bare `when:`-style expression. */
export type TemplateKind = 'file' | 'value' | 'condition';

/** A parsed template, or why it does not parse; positions are inside `text` (1-based). */
export type ParsedTemplate = { ast: TemplateAst; error?: undefined } | { ast?: undefined; error: { message: string; line: number; col: number } };

const JINJA2_OVERRIDE = '#jinja2:';
// Conditional.evaluate_conditional wraps a bare expression like this.
const CONDITION_OPEN = '{% if ';

/**
 * Parses and compiles a template the way fleet's Templar does before rendering, so unknown
 * filters and tests are found too; nothing is rendered. A file whose `#jinja2:` header
 * changes the delimiters is not checked (null).
 */
export function parseTemplate(text: string, kind: TemplateKind): ParsedTemplate | null {
  let source = text;
  let lineOffset = 0;
  let colOffset = 0;
  if (kind === 'file' && source.startsWith(JINJA2_OVERRIDE)) {
    const eol = source.indexOf('\n');
    if (/_string\s*:/.test(source.slice(0, eol < 0 ? undefined : eol))) return null;
    source = eol < 0 ? '' : source.slice(eol + 1);
    lineOffset = 1;
  }
  const bare = kind === 'condition' && !/\{\{|\{%/.test(source);
  if (bare) {
    source = `${CONDITION_OPEN}${source} %}{% endif %}`;
    colOffset = CONDITION_OPEN.length;
  }
  try {
    if (kind !== 'file') source = escapeBackslashes(source, ANSIBLE_SYNTAX);
    const ast = new Parser(tokenize(source, ANSIBLE_SYNTAX)).parse();
    compileTemplate(ast, defaultPlugins());
    if (bare) shiftFirstLine(ast, colOffset);
    if (lineOffset > 0) shiftLines(ast, lineOffset);
    return { ast };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const line = error instanceof TemplateSyntaxError ? error.templateLine : 1;
    const col = error instanceof TemplateSyntaxError ? error.templateCol : 1;
    return { error: { message: error.message, line: line + lineOffset, col: Math.max(1, line === 1 ? col - colOffset : col) } };
  }
}

/** Moves positions on the first line left by the wrapper's length, so they point into the expression as written. */
function shiftFirstLine(ast: TemplateAst, by: number): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const positioned = node as { line?: number; col?: number };
    if (positioned.line === 1 && typeof positioned.col === 'number') positioned.col = Math.max(1, positioned.col - by);
    for (const [key, value] of Object.entries(node)) if (key !== 'value') visit(value);
  };
  visit(ast.body);
}

/** Moves every position down by the `#jinja2:` header line the parser did not see. */
function shiftLines(ast: TemplateAst, by: number): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const positioned = node as { line?: number };
    if (typeof positioned.line === 'number') positioned.line += by;
    for (const [key, value] of Object.entries(node)) if (key !== 'value') visit(value);
  };
  visit(ast.body);
}
