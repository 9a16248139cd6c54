import { findModule } from '../modules/index.js';
import { PyDict, type PyValue } from '../template/values.js';
import { copyPositions } from '../yaml/load.js';
import { NON_ACTION_TASK_KEYS } from './keywords.js';
import { keyWhere, pythonTypeName, reject, type Where } from './problems.js';
import { ArgumentSplitError, parseKv, splitArgs } from './splitter.js';
import { isTemplate } from './validate.js';

/**
 * How a task names its action and arguments, as lib/ansible/parsing/mod_args.py
 * `ModuleArgsParser.parse` reads them: `module: args`, `action: module args`,
 * `local_action: …`, with `args:` as defaults underneath.
 */

/** Actions the executor runs itself rather than a module (Ansible's BUILTIN_TASKS, minus `include`). */
export const EXECUTOR_ACTIONS: ReadonlySet<string> = new Set(['meta', 'include_tasks', 'import_tasks', 'include_role', 'import_role']);

/** Actions that load more tasks: the static ones are expanded at load time. */
export const STATIC_IMPORTS: ReadonlySet<string> = new Set(['import_tasks', 'import_role']);
/** The deprecated `include`: static (expanded like import_tasks) or dynamic, decided per task. */
export const LEGACY_INCLUDE = 'include';
export const DYNAMIC_INCLUDES: ReadonlySet<string> = new Set(['include_tasks', 'include_role']);

/** `C.MODULE_REQUIRE_ARGS`: modules whose text argument is a command line. */
const FREE_FORM_ACTIONS: ReadonlySet<string> = new Set(['command', 'shell', 'raw', 'script', 'win_command', 'win_shell']);

/** mod_args.py `RAW_PARAM_MODULES`: actions that accept words that are not `k=v`. */
const RAW_PARAM_ACTIONS: ReadonlySet<string> = new Set([
  ...FREE_FORM_ACTIONS,
  'include',
  'include_vars',
  'include_tasks',
  'include_role',
  'import_tasks',
  'import_role',
  'add_host',
  'group_by',
  'set_fact',
  'meta',
]);

/** `C._ACTION_HAS_CMD`: these take `cmd:` as another spelling of the free-form text. */
const CMD_ACTIONS: ReadonlySet<string> = new Set(['command', 'shell', 'script']);

const INTERNAL_COLLECTIONS = ['ansible.builtin.', 'ansible.legacy.'];

/** Decides whether a short action name is one fleet can run. */
export type ActionPredicate = (shortName: string) => boolean;

export const knownToFleet: ActionPredicate = (name) => EXECUTOR_ACTIONS.has(name) || findModule(name) !== undefined;

/** `ansible.builtin.copy` / `ansible.legacy.copy` → `copy`. */
export function shortActionName(name: string): string {
  for (const prefix of INTERNAL_COLLECTIONS) {
    if (name.startsWith(prefix)) return name.slice(prefix.length);
  }
  return name;
}

export interface ResolvedAction {
  action: string;
  actionAs: string;
  args: PyDict;
  /** `localhost` for `local_action`, otherwise absent. */
  delegateTo?: string;
}

function parseArgString(text: string, action: string, where: Where): PyDict {
  try {
    return new PyDict(parseKv(text, FREE_FORM_ACTIONS.has(action)));
  } catch (error) {
    if (error instanceof ArgumentSplitError) reject(error.message, where);
    throw error;
  }
}

const writtenArgs = new WeakMap<PyDict, PyDict>();

/**
 * The arguments as the task's action key gave them (a loaded mapping keeps where each value was
 * written; `k=v` text has no positions), for an error Ansible points at one argument.
 */
export function argsAsWritten(args: PyDict): PyDict | undefined {
  return writtenArgs.get(args);
}

/** The `args:` keyword: a mapping of defaults, or one whole-args template. */
function defaultArgs(task: PyDict, where: Where): PyDict {
  if (!task.has('args')) return new PyDict();
  const value = task.get('args') ?? null;
  const at = keyWhere(task, 'args', where);
  if (value instanceof PyDict) {
    const copy = new PyDict(value);
    copyPositions(value, copy);
    return copy;
  }
  if (typeof value === 'string') {
    if (isTemplate(value)) return new PyDict([['_variable_params', value]]);
    reject(
      "Complex args containing variables cannot use bare variables (without Jinja2 delimiters), and must use the full variable style ('{{var_name}}')",
      at,
    );
  }
  return reject('Complex args must be a dictionary or variable string ("{{var}}").', at);
}

/** `copy: src=a dest=b` or `copy: {src: a}` (new style: the module is the key). */
function argsOfValue(value: PyValue, action: string, where: Where): PyDict {
  if (value instanceof PyDict) return value;
  if (typeof value === 'string') return parseArgString(value, action, where);
  if (value === null) return new PyDict();
  return reject(`unexpected parameter type in action: ${pythonTypeName(value)}`, where);
}

/** `action: copy src=a` or `action: {module: copy, src: a}` (old style). */
function splitOldStyle(value: PyValue, where: Where): { name: string; args: PyDict } | null {
  if (typeof value === 'string') {
    const [name, rest] = splitModuleString(value, where);
    return { name, args: parseArgString(rest, shortActionName(name), where) };
  }
  if (value instanceof PyDict) {
    const module = value.get('module');
    if (module === undefined) return null;
    const [name, rest] = splitModuleString(typeof module === 'string' ? module : String(module), where);
    const args = new PyDict([...value].filter(([k]) => k !== 'module'));
    const nested = args.get('args');
    if (nested !== undefined) {
      args.delete('args');
      const extra = typeof nested === 'string' ? parseArgString(nested, name, where) : nested;
      if (extra instanceof PyDict) for (const [k, v] of extra) args.set(k, v);
    }
    for (const [k, v] of parseArgString(rest, shortActionName(name), where)) args.set(k, v);
    return { name, args };
  }
  return reject(`unexpected parameter type in action: ${pythonTypeName(value)}`, where);
}

function splitModuleString(text: string, where: Where): [string, string] {
  let pieces: string[];
  try {
    pieces = splitArgs(text);
  } catch (error) {
    if (error instanceof ArgumentSplitError) reject(error.message, where);
    throw error;
  }
  return [(pieces[0] ?? '').trim(), pieces.slice(1).join(' ')];
}

/**
 * Finds a task's action and arguments, or rejects the task with Ansible's message.
 * `where` is the task mapping's location.
 */
export function resolveAction(task: PyDict, where: Where, isKnown: ActionPredicate, collections: readonly string[] = []): ResolvedAction {
  let actionAs: string | null = null;
  let args = new PyDict();
  let delegateTo: string | undefined;
  let fromActionKeyword = false;
  const merge = (found: PyDict): PyDict => {
    const merged = defaultArgs(task, where);
    for (const [k, v] of found) merged.set(k, v);
    writtenArgs.set(merged, found);
    return merged;
  };

  for (const key of ['action', 'local_action'] as const) {
    if (!task.has(key)) continue;
    const at = keyWhere(task, key, where);
    if (key === 'local_action') {
      if (actionAs !== null) reject('action and local_action are mutually exclusive', at);
      delegateTo = 'localhost';
    }
    const old = splitOldStyle(task.get(key) ?? null, at);
    if (old) {
      actionAs = old.name;
      args = merge(old.args);
      fromActionKeyword = true;
    }
  }

  for (const key of task.keys()) {
    if (typeof key !== 'string' || NON_ACTION_TASK_KEYS.has(key) || key.startsWith('with_')) continue;
    const at = keyWhere(task, key, where);
    if (actionAs !== null) reject(`conflicting action statements: ${actionAs}, ${key}`, where);
    actionAs = key;
    args = merge(argsOfValue(task.get(key) ?? null, shortActionName(key), at));
    fromActionKeyword = false;
  }

  if (actionAs === null) return reject('no module/action detected in task.', where);
  const action = searchCollections(shortActionName(actionAs), collections, isKnown);
  if (action === 'import_playbook') reject("'import_playbook' can only be used at the top level of a playbook, not as a task", where);
  // the deprecated `include` is resolved by the loader (tasks.ts), never run as an action
  // `action: "{{ ansible_facts.pkg_mgr }}"`: mod_args.py never checks an `action:` name; the
  // executor templates it per host when the task runs (isTemplatedAction) and checks it then
  if (action !== 'include' && !isKnown(action) && !(fromActionKeyword && isTemplatedAction(action))) {
    reject(
      `couldn't resolve module/action '${actionAs}'. This often indicates a misspelling, missing collection, or incorrect module path.`,
      where,
    );
  }
  checkArgs(action, args, where);
  return delegateTo === undefined ? { action, actionAs, args } : { action, actionAs, args, delegateTo };
}

/**
 * A short name found in one of the task's collections (`collections: [community.general]`
 * makes `launchd` community.general.launchd), in the list's order, ansible.builtin/legacy
 * standing for the builtins; past the end of the list the builtins are searched anyway.
 */
function searchCollections(name: string, collections: readonly string[], isKnown: ActionPredicate): string {
  if (name.includes('.')) return name;
  for (const collection of collections) {
    if (INTERNAL_COLLECTIONS.includes(`${collection}.`)) {
      if (isKnown(name)) return name;
    } else if (isKnown(`${collection}.${name}`)) return `${collection}.${name}`;
  }
  return name;
}

/** An action named by a template, resolved per host at run time. */
export function isTemplatedAction(action: string): boolean {
  return isTemplate(action);
}

function checkArgs(action: string, args: PyDict, where: Where): void {
  if (!FREE_FORM_ACTIONS.has(action)) {
    for (const key of args.keys()) {
      if (typeof key === 'string' && key.startsWith('_ansible_')) {
        reject(`invalid parameter specified for action '${action}': '${key}'`, where);
      }
    }
  }
  const raw = args.get('_raw_params');
  if (raw !== undefined && raw !== '' && !RAW_PARAM_ACTIONS.has(action)) {
    if (typeof raw === 'string' && isTemplate(raw)) {
      args.delete('_raw_params');
      args.set('_variable_params', raw);
    } else {
      reject(
        `this task '${action}' has extra params, which is only allowed in the following modules: ${[...RAW_PARAM_ACTIONS].sort().join(', ')}`,
        where,
      );
    }
  }
  if (CMD_ACTIONS.has(action) && args.has('cmd')) {
    if ((args.get('_raw_params') ?? '') !== '') {
      reject(
        "The 'cmd' argument cannot be used when other raw parameters are specified. Please put everything in one or the other place.",
        where,
      );
    }
    args.set('_raw_params', args.get('cmd') ?? null);
    args.delete('cmd');
  }
}
