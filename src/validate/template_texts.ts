import type { SourceLocation } from '../errors.js';
import { locatedTexts } from '../fleet/located_text.js';
import type { PyValue } from '../template/values.js';
import type { TemplateKind } from './template_parse.js';

/** A string of a YAML file that Ansible templates, where it was written. */
export interface TemplateText {
  text: string;
  /** The scalar's start in its file. */
  location: SourceLocation;
  kind: TemplateKind;
}

// Task keywords whose strings are bare Jinja2 expressions, and assert's `that`.
const CONDITION_PATH = /(^|\.)(when|changed_when|failed_when|until|assert\.that)(\[\d+\])?$/;
const TEMPLATE_MARK = /\{\{|\{%|\{#/;

/**
 * The strings of a loaded YAML document that a run templates: every string holding Jinja2
 * markup, and in playbooks and task files every conditional. `!unsafe` text is never templated.
 */
export function templateTexts(document: PyValue, file: string, hasTasks: boolean): TemplateText[] {
  const out: TemplateText[] = [];
  for (const found of locatedTexts(document, { file, line: 1, col: 1 })) {
    // Mapping keys come with their own path (`….when` for the key `when`); Ansible templates values only.
    const isKey = found.path === found.text || found.path.endsWith(`.${found.text}`);
    if (found.unsafe || isKey || found.text.trim() === '') continue;
    if (hasTasks && CONDITION_PATH.test(found.path)) out.push({ text: found.text, location: found.location, kind: 'condition' });
    else if (TEMPLATE_MARK.test(found.text)) out.push({ text: found.text, location: found.location, kind: 'value' });
  }
  return out;
}

/**
 * Where a position inside a YAML scalar's text is in the file. The first line starts at the
 * scalar (after its opening quote); a name is looked up on the line it should be on (plain
 * or quoted) or the next (block scalars start on the line after their `|`).
 */
export function fileLocation(text: TemplateText, line: number, col: number, sourceLines: string[], name?: string): SourceLocation {
  const { file } = text.location;
  const start = text.location;
  const opening = sourceLines[start.line - 1]?.[start.col - 1];
  const quoted = opening === '"' || opening === "'";
  if (name !== undefined) {
    const word = new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`, 'g');
    for (const candidate of [start.line + line - 1, start.line + line]) {
      const source = sourceLines[candidate - 1];
      if (source === undefined) continue;
      const from = candidate === start.line ? start.col - 1 : 0;
      word.lastIndex = from;
      const hit = word.exec(source);
      if (hit) return { file, line: candidate, col: hit.index + 1 };
    }
  }
  if (line === 1) return { file, line: start.line, col: start.col + col - 1 + (quoted ? 1 : 0) };
  return { file, line: start.line + line - 1, col };
}
