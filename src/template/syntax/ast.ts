import type { PyValue } from '../values.js';

/** Jinja2's template AST (jinja2/nodes.py), every node positioned in the template text. */
export interface Pos {
  line: number;
  col: number;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'notin';

export interface CallArgsNode {
  args: Expr[];
  kwargs: [string, Expr][];
  dynArgs?: Expr;
  dynKwargs?: Expr;
}

export type Expr = Pos &
  (
    | { kind: 'const'; value: PyValue }
    | { kind: 'name'; name: string }
    | { kind: 'getattr'; node: Expr; attr: string }
    | { kind: 'getitem'; node: Expr; arg: Expr }
    | { kind: 'slice'; start?: Expr; stop?: Expr; step?: Expr }
    | { kind: 'tuple'; items: Expr[] }
    | { kind: 'list'; items: Expr[] }
    | { kind: 'dict'; items: [Expr, Expr][] }
    | { kind: 'binop'; op: BinaryOp; left: Expr; right: Expr }
    | { kind: 'concat'; items: Expr[] }
    | { kind: 'neg' | 'pos' | 'not'; node: Expr }
    | { kind: 'and' | 'or'; left: Expr; right: Expr }
    | { kind: 'compare'; first: Expr; ops: { op: CompareOp; expr: Expr }[] }
    | { kind: 'condexpr'; test: Expr; expr1: Expr; expr2?: Expr }
    | ({ kind: 'call'; node: Expr } & CallArgsNode)
    | FilterNode
    | ({ kind: 'test'; node: Expr; name: string } & CallArgsNode)
  );

/** A filter; `node` is undefined for the filter of a `{% filter %}` or `{% set x | f %}` block. */
export type FilterNode = Pos & { kind: 'filter'; node?: Expr; name: string } & CallArgsNode;

export type Target = Pos &
  ({ kind: 'name'; name: string } | { kind: 'tuple'; items: Target[] } | { kind: 'nsref'; name: string; attr: string });

export type OutputItem = Expr | (Pos & { kind: 'data'; text: string });

export interface MacroSignature {
  params: string[];
  defaults: Expr[];
}

export type Stmt = Pos &
  (
    | { kind: 'output'; items: OutputItem[] }
    | { kind: 'if'; branches: { test: Expr; body: Stmt[] }[]; else: Stmt[] }
    | { kind: 'for'; target: Target; iter: Expr; body: Stmt[]; else: Stmt[]; test?: Expr; recursive: boolean }
    | { kind: 'set'; target: Target; expr: Expr }
    | { kind: 'setblock'; target: Target; filter?: FilterNode; body: Stmt[] }
    | ({ kind: 'macro'; name: string; body: Stmt[] } & MacroSignature)
    | ({ kind: 'callblock'; call: Expr; body: Stmt[] } & MacroSignature)
    | { kind: 'filterblock'; filter: FilterNode; body: Stmt[] }
    | { kind: 'with'; targets: Target[]; values: Expr[]; body: Stmt[] }
    | { kind: 'include'; template: Expr; ignoreMissing: boolean; withContext: boolean }
    | { kind: 'import'; template: Expr; target: string; withContext: boolean }
    | { kind: 'fromimport'; template: Expr; names: [string, string][]; withContext: boolean }
    | { kind: 'block'; name: string; body: Stmt[]; scoped: boolean; required: boolean }
    | { kind: 'extends'; template: Expr }
  );

export interface TemplateAst {
  body: Stmt[];
}
