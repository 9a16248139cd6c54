import type { SourceLocation } from '../errors.js';
import type { PyValue } from './values.js';
import type { Delimiters } from './syntax/lexer.js';

/** How the `template` lookup templates a file's text (Templar.template under set_temporary_context). */
export interface RenderTextOptions {
  /** Ansible's doubling of backslashes in `{{ }}` string literals (default true); the lookup turns it off. */
  escapeBackslashes?: boolean;
  delimiters?: Delimiters;
  /** convert_data: false joins the output as text (ansible_concat) instead of literal_eval'ing it. */
  convertData?: boolean;
}

/**
 * The contract between the evaluator and the filter, test and lookup plugins: plugins are
 * plain functions listed in one index per kind, and reach the evaluator only through
 * `PluginEnv`.
 */
export interface CallArgs {
  args: PyValue[];
  kwargs: Map<string, PyValue>;
}

/** Where lookups find files and how they read the controller's environment. */
export interface LookupContext {
  /** Directory relative paths start from (the playbook's or role's directory). */
  basedir: string;
  /** Extra directories searched by `file`, `template`, `first_found` (role files/, templates/…). */
  searchPaths: string[];
  env: Record<string, string | undefined>;
}

export interface PluginEnv {
  /** Calls another filter by name (for `map('lower')` and friends). */
  callFilter(name: string, value: PyValue, call: CallArgs): PyValue;
  /** Calls a test by name (for `select('odd')`, `selectattr('x', 'defined')`). */
  callTest(name: string, value: PyValue, call: CallArgs): PyValue;
  /** Jinja2's `environment.getitem`/`getattr`: `x.name` / `x['name']`, dotted paths for `attribute=`. */
  getAttribute(value: PyValue, attribute: string | number): PyValue;
  /**
   * Renders a template text with the current variables (plus `extraVars`), as
   * Templar.template does. The `template` lookup renders file contents, which Ansible does
   * without doubling backslashes in string literals: pass `escapeBackslashes: false`.
   */
  renderTemplate(text: string, extraVars?: Map<string, PyValue>, options?: RenderTextOptions): PyValue;
  /** Looks up a variable the template can see (the `vars` lookup). */
  lookupVariable(name: string): PyValue | undefined;
  /** Names of every variable the template can see (the `varnames` lookup). */
  variableNames(): string[];
  /** Display.warning from a plugin (Ansible's `started`/`finished` tests warn of a non-async result). */
  warn?(message: string): void;
  lookupContext: LookupContext;
  /** Where the template being rendered came from, for error messages. */
  source?: SourceLocation;
}

export type Filter = (env: PluginEnv, value: PyValue, call: CallArgs) => PyValue;
/**
 * A test usually answers a bool, but Jinja2 passes on whatever it returns: Ansible's
 * `changed`/`failed`/`skipped` tests return the result's raw value (`'yes'` prints as yes).
 */
export type Test = (env: PluginEnv, value: PyValue, call: CallArgs) => PyValue;
/** A lookup returns the list `query()` returns; `lookup()` joins it as Ansible does. */
export type Lookup = (env: PluginEnv, terms: PyValue[], kwargs: Map<string, PyValue>) => PyValue[];
