import type { Expr, TemplateAst } from '../template/syntax/ast.js';

/** A variable a template reads, where (inside the template text). */
export interface NameUse {
  name: string;
  line: number;
  col: number;
}

export interface TemplateNames {
  /** Names read and never bound anywhere in the template. */
  free: NameUse[];
  /** Names the template guards (`x is defined`, `x | default(…)`): it expects them to be missing sometimes. */
  guarded: Set<string>;
}

const GUARD_FILTERS = new Set(['default', 'd']);
const GUARD_TESTS = new Set(['defined', 'undefined']);

/** The variable at the root of `a.b['c']`, if any. */
function rootName(expr: Expr | undefined): string | undefined {
  let node = expr;
  while (node && (node.kind === 'getattr' || node.kind === 'getitem')) node = node.node;
  return node?.kind === 'name' ? node.name : undefined;
}

/**
 * The variables a template reads from outside. Deliberately coarse, so it never flags a
 * name the template defines itself: a name bound anywhere in the template (for, set, with,
 * macro and its parameters, import) counts as bound everywhere in it.
 */
export function templateNames(ast: TemplateAst): TemplateNames {
  const uses: NameUse[] = [];
  const bound = new Set<string>();
  const guarded = new Set<string>();
  const visit = (node: unknown, store: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, store);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as { kind?: string; name?: unknown; line?: number; col?: number; node?: Expr; params?: unknown; target?: unknown; names?: unknown };
    if (n.kind === 'name' && typeof n.name === 'string') {
      if (store) bound.add(n.name);
      else uses.push({ name: n.name, line: n.line ?? 1, col: n.col ?? 1 });
    }
    if (n.kind === 'macro' && typeof n.name === 'string') bound.add(n.name);
    if ((n.kind === 'macro' || n.kind === 'callblock') && Array.isArray(n.params)) for (const param of n.params) bound.add(String(param));
    if (n.kind === 'import' && typeof n.target === 'string') bound.add(n.target);
    if (n.kind === 'fromimport' && Array.isArray(n.names)) for (const [name, alias] of n.names as [string, string][]) bound.add(alias || name);
    if ((n.kind === 'filter' && GUARD_FILTERS.has(String(n.name))) || (n.kind === 'test' && GUARD_TESTS.has(String(n.name)))) {
      const root = rootName(n.node);
      if (root !== undefined) guarded.add(root);
    }
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'value') visit(value, key === 'target' || key === 'targets' || (store && key === 'items'));
    }
  };
  visit(ast.body, false);
  return { free: uses.filter((use) => !bound.has(use.name)), guarded };
}
