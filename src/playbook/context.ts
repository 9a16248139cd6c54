import type { PyDict, PyValue } from '../template/values.js';
import type { ActionPredicate } from './actions.js';
import type { Play, RoleInstance, Task } from './model.js';
import { reject, type Where } from './problems.js';

export interface LoadOptions {
  /** `roles_path`: extra directories searched for roles, after `roles/` next to the playbook. */
  rolesPath: string[];
  /** `-e` variables; the only variables (with play vars) usable in static file names. */
  extraVars: PyDict;
  /** Which short action names can run; defaults to fleet's modules plus executor actions. */
  isKnownAction?: ActionPredicate;
}

/** What loading one play needs to know, reachable from any of its nodes through `play`. */
export interface LoadContext {
  play: Play;
  options: Required<LoadOptions>;
  /** Directory of the playbook file that holds the play (Ansible's loader basedir). */
  baseDir: string;
  /** Play.ROLE_CACHE: role name → (params key → instance), so the same role+params is one instance. */
  roleCache: Map<string, Map<string, RoleInstance>>;
  /** Handlers of roles brought in by import_role; they follow the play's own handlers. */
  importedHandlers: Task[];
  /** Role instances whose handlers are already in the play. */
  rolesWithHandlers: Set<RoleInstance>;
  /** Handlers of roles loaded by include_role at run time, per instance. */
  includedRoleHandlers: Map<RoleInstance, Task[]>;
}

const contexts = new WeakMap<Play, LoadContext>();

export function rememberContext(context: LoadContext): void {
  contexts.set(context.play, context);
}

/** The context a play was loaded with, for loading included files at run time. */
export function contextOf(play: Play): LoadContext {
  const context = contexts.get(play);
  if (!context) throw new Error('play was not loaded by loadPlaybook');
  return context;
}

const TEMPLATE_VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * A file or role name that Ansible templates at load time (`import_tasks: "{{ os }}.yml"`).
 * Load time has no host, so only extra vars and the play's literal vars can fill it; anything
 * else is refused rather than guessed.
 */
export function staticName(value: PyValue, what: string, context: LoadContext, where: Where): string {
  return staticText(value, what, [context.options.extraVars, context.play.vars], where);
}

/** `staticName` with explicit variable layers, highest precedence first. */
export function staticText(value: PyValue, what: string, layers: PyDict[], where: Where): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value !== 'string') return reject(`${what} must be a string`, where);
  const text = value.replace(TEMPLATE_VARIABLE, (whole, name: string) => {
    const found = layers.find((layer) => layer.has(name))?.get(name);
    if (typeof found === 'string' && !found.includes('{{')) return found;
    if (typeof found === 'number') return String(found);
    return whole;
  });
  if (/\{\{|\{%/.test(text)) {
    reject(`cannot resolve '${value}' when loading the playbook: a static ${what} can only use extra vars (-e) or literal play vars`, where);
  }
  return text;
}
