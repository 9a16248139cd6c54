import { readFileSync } from 'node:fs';
import type { SourceLocation } from '../errors.js';
import type { Problems } from './problems.js';
import { isAlwaysKnown } from './known_names.js';
import { parseTemplate } from './template_parse.js';
import { templateNames } from './template_names.js';
import { fileLocation, type TemplateText } from './template_texts.js';

interface NameUseAt {
  name: string;
  location: SourceLocation;
}

/**
 * Template syntax of every templated string and template file, then the names they read
 * that the project defines nowhere. A name any template guards (`is defined`, `default`)
 * is never reported: the project expects it to be missing sometimes.
 */
export class TemplateChecker {
  private readonly uses: NameUseAt[] = [];
  private readonly guarded = new Set<string>();
  private readonly sources = new Map<string, string[]>();

  constructor(private readonly problems: Problems) {}

  private linesOf(file: string): string[] {
    let lines = this.sources.get(file);
    if (!lines) this.sources.set(file, (lines = readFileSync(file, 'utf8').split('\n')));
    return lines;
  }

  /** A templated string of a YAML file. */
  checkText(text: TemplateText): void {
    const parsed = parseTemplate(text.text, text.kind);
    if (!parsed) return;
    const lines = this.linesOf(text.location.file);
    if (parsed.error) {
      this.problems.add(fileLocation(text, parsed.error.line, parsed.error.col, lines), `template error: ${parsed.error.message}`);
      return;
    }
    const names = templateNames(parsed.ast);
    for (const name of names.guarded) this.guarded.add(name);
    for (const use of names.free) this.uses.push({ name: use.name, location: fileLocation(text, use.line, use.col, lines, use.name) });
  }

  /** A template file (templates/*.j2): positions are the file's own. */
  checkFile(file: string): void {
    const parsed = parseTemplate(readFileSync(file, 'utf8'), 'file');
    if (!parsed) return;
    if (parsed.error) {
      this.problems.add({ file, line: parsed.error.line, col: parsed.error.col }, `template error: ${parsed.error.message}`);
      return;
    }
    const names = templateNames(parsed.ast);
    for (const name of names.guarded) this.guarded.add(name);
    for (const use of names.free) this.uses.push({ name: use.name, location: { file, line: use.line, col: use.col } });
  }

  /** Reports every use of a name that is neither defined in the project, known to every template, nor guarded anywhere. */
  reportUndefined(defined: ReadonlySet<string>): void {
    for (const use of this.uses) {
      if (defined.has(use.name) || isAlwaysKnown(use.name) || this.guarded.has(use.name)) continue;
      this.problems.add(use.location, `'${use.name}' is undefined: no vars file, inventory, play, role, register, set_fact or loop of the project defines it`);
    }
  }
}
