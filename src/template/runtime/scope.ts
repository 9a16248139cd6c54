import type { PyValue } from '../values.js';
import type { CompiledTemplate, RenderContext } from './compile.js';

/**
 * One template render's block table and inheritance state (Jinja2's `context.blocks` and
 * `parent_template`).
 */
export class TemplateRun {
  readonly blocks = new Map<string, BlockRenderer[]>();
  parent: CompiledTemplate | undefined;

  constructor(readonly root: Scope) {}
}

export type BlockRenderer = (scope: Scope, ctx: RenderContext, out: PyValue[], run: TemplateRun, depth: number) => void;

/** Where a root scope looks up names it does not hold itself. */
export interface NameResolver {
  resolve(name: string): PyValue | undefined;
}

/**
 * A variable scope: template locals (set, for, macro parameters) chained to their enclosing
 * scope; the root scope falls back to the template's variables and globals.
 */
export class Scope {
  readonly vars = new Map<string, PyValue>();
  readonly run: TemplateRun;

  constructor(
    readonly parent: Scope | undefined,
    /** The root's fallback: Ansible's variables (templated on access) and Jinja2's globals. */
    readonly fallback?: NameResolver,
    /** Starts a new template render (its own blocks) instead of sharing the parent's. */
    newRun = false,
  ) {
    this.run = newRun || !parent ? new TemplateRun(this) : parent.run;
  }

  lookup(name: string): PyValue | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
      if (s.fallback) return s.fallback.resolve(name);
    }
    return undefined;
  }
}
