import { dirname } from 'node:path';
import { asyncRefusal } from '../executor/async_support.js';
import { findModule } from '../modules/index.js';
import { unimplementedGiven, unimplementedMessage } from '../modules/unimplemented.js';
import { PyDict, type PyValue } from '../template/values.js';
import { itemPositionOf, positionOf } from '../yaml/load.js';
import { DYNAMIC_INCLUDES, LEGACY_INCLUDE, resolveAction, STATIC_IMPORTS } from './actions.js';
import { collectionSearchList } from './collections.js';
import { contextOf, type LoadContext } from './context.js';
import { readTaskList } from './files.js';
import { checkIncludeArgs, expandImport, expandLegacyInclude } from './imports.js';
import { BLOCK_KEYWORDS, BUILTIN_LOOKUPS, HANDLER_KEYWORDS, INCLUDE_KEYWORDS, TASK_KEYWORDS } from './keywords.js';
import type { Block, Keywords, Node, RoleInstance, Task } from './model.js';
import { keyWhere, pythonTypeName, reject, type Where } from './problems.js';
import { checkKeywords, isTemplate } from './validate.js';

/** Where a list of tasks is being loaded into. */
export interface Section {
  context: LoadContext;
  parent: Block;
  role: RoleInstance | null;
  /** Loading `handlers:` (or a role's handlers/main): tasks become handlers. */
  handlers: boolean;
  /** Directory of the file being read; static imports inside it are looked up there first. */
  dir: string;
  /** Files being imported around this point (import_tasks), to refuse an import loop. */
  importing?: string[];
}

const BLOCK_SECTIONS = ['block', 'rescue', 'always'] as const;

function isBlock(ds: PyDict): boolean {
  return BLOCK_SECTIONS.some((key) => ds.has(key));
}

/** An empty block under `parent` (or a play section's root when `parent` is null). */
export function newBlock(at: Where['at'], parent: Block | null, section: Pick<Section, 'context' | 'role'>, keywords: Keywords = new Map()): Block {
  return { kind: 'block', at, block: [], rescue: [], always: [], keywords, parent, play: section.context.play, role: section.role };
}

/** A list of tasks and blocks (helpers.py `load_list_of_blocks`/`load_list_of_tasks`). */
export function loadNodes(list: PyValue, where: Where, section: Section, insideBlock = false): Node[] {
  if (list === null) return [];
  if (!Array.isArray(list)) {
    return reject(`A malformed block was encountered while loading tasks: expected a list of tasks, got ${pythonTypeName(list)}`, where);
  }
  const nodes: Node[] = [];
  list.forEach((item, index) => {
    const itemWhere: Where = { at: itemPositionOf(list, index) ?? where.at, path: `${where.path}[${index}]` };
    // helpers.py `load_list_of_blocks` skips empty entries of a task list; a block's own list
    // goes through `load_list_of_tasks`, which refuses them
    if (item === null && !insideBlock) return;
    if (!(item instanceof PyDict)) {
      const what = insideBlock ? 'a block' : 'tasks';
      reject(`A malformed block was encountered while loading ${what}: a task must be a mapping, got ${pythonTypeName(item)}`, itemWhere);
    }
    if (isBlock(item)) {
      if (section.handlers && insideBlock) reject('Using a block as a handler is not supported.', itemWhere);
      nodes.push(loadBlock(item, itemWhere, section));
    } else {
      nodes.push(loadTask(item, itemWhere, section));
    }
  });
  return nodes;
}

function keywordsOf(ds: PyDict, skip: ReadonlySet<string>): Keywords {
  const keywords: Keywords = new Map();
  for (const [key, value] of ds) {
    if (!skip.has(String(key))) keywords.set(String(key), value);
  }
  return keywords;
}

function loadBlock(ds: PyDict, where: Where, section: Section): Block {
  checkKeywords(ds, BLOCK_KEYWORDS, 'Block', where);
  const block = newBlock(where.at, section.parent, section, keywordsOf(ds, new Set(BLOCK_SECTIONS)));
  const inner: Section = { ...section, parent: block };
  for (const key of BLOCK_SECTIONS) {
    if (!ds.has(key)) continue;
    const value = ds.get(key) ?? null;
    const at = keyWhere(ds, key, where);
    if (value !== null && !Array.isArray(value)) {
      reject(`A malformed block was encountered while loading a block: '${key}' must be a list of tasks`, at);
    }
    block[key] = loadNodes(value, { at: positionOf(value) ?? at.at, path: at.path }, inner, true);
  }
  return block;
}

/** Ansible's class for the task, as its "not a valid attribute" messages name it. */
function ownerOf(action: string, handlers: boolean): string {
  if (action === 'include_role' || action === 'import_role') return 'IncludeRole';
  if (action === 'include_tasks' || action === 'import_tasks' || action === LEGACY_INCLUDE) return handlers ? 'HandlerTaskInclude' : 'TaskInclude';
  return handlers ? 'Handler' : 'Task';
}

function loadTask(ds: PyDict, where: Where, section: Section): Node {
  const { context } = section;
  const resolved = resolveAction(ds, where, context.options.isKnownAction, collectionSearchList(ds.get('collections'), section.parent, section.role));
  if (section.handlers && (resolved.action === 'include_role' || resolved.action === 'import_role')) {
    reject(`Using '${resolved.actionAs}' as a handler is not supported.`, where);
  }
  const actionKeys = new Set(['action', 'local_action', 'args', resolved.actionAs]);
  const withKeys = [...ds.keys()].map(String).filter((key) => key.startsWith('with_') && BUILTIN_LOOKUPS.has(key.slice(5)) && !actionKeys.has(key));
  const owner = ownerOf(resolved.action, section.handlers);
  checkKeywords(ds, section.handlers ? HANDLER_KEYWORDS : TASK_KEYWORDS, owner, where, new Set([...actionKeys, ...withKeys]));
  if (DYNAMIC_INCLUDES.has(resolved.action)) {
    for (const key of ds.keys()) {
      const name = String(key);
      if (!actionKeys.has(name) && !withKeys.includes(name) && !INCLUDE_KEYWORDS.has(name)) {
        reject(`'${name}' is not a valid attribute for a ${owner}`, keyWhere(ds, name, where));
      }
    }
  }

  const keywords = keywordsOf(ds, actionKeys);
  for (const key of withKeys) loopFromWith(ds, key, keywords, where);
  if (resolved.delegateTo !== undefined) keywords.set('delegate_to', resolved.delegateTo);

  const nameValue = ds.get('name');
  const task: Task = {
    kind: 'task',
    at: where.at,
    name: nameValue === undefined || nameValue === null ? null : String(nameValue),
    action: resolved.action,
    actionAs: resolved.actionAs,
    args: resolved.args,
    keywords,
    parent: section.parent,
    role: section.role,
  };
  if (section.handlers) task.listen = listenNames(task, ds);

  const actionWhere = keyWhere(ds, resolved.actionAs, where);
  const asyncRefused = asyncRefusal(findModule(resolved.action), keywords.get('async'));
  if (asyncRefused) reject(asyncRefused, keyWhere(ds, 'async', where));
  const def = findModule(resolved.action);
  const unimplemented = def ? unimplementedGiven(def, resolved.args, isTemplate) : null;
  if (def && unimplemented) {
    // The mapping as written under the action's key keeps the positions (resolved.args is a copy).
    const written = ds.get(resolved.actionAs);
    reject(unimplementedMessage(def, unimplemented), keyWhere(written instanceof PyDict ? written : resolved.args, unimplemented, actionWhere));
  }
  if (STATIC_IMPORTS.has(resolved.action) || DYNAMIC_INCLUDES.has(resolved.action) || resolved.action === LEGACY_INCLUDE) {
    checkIncludeArgs(task, actionWhere);
  }
  if (resolved.action === LEGACY_INCLUDE) return expandLegacyInclude(task, section, actionWhere);
  if (STATIC_IMPORTS.has(resolved.action)) {
    if (keywords.has('loop') || keywords.has('loop_with')) {
      const dynamic = resolved.action.replace('import_', 'include_');
      reject(`You cannot use loops on '${resolved.action}' statements. You should use '${dynamic}' instead.`, where);
    }
    return expandImport(task, section, actionWhere);
  }
  return task;
}

/** `with_items: x` → `loop_with: items`, `loop: x` (task.py `_preprocess_with_loop`). */
function loopFromWith(ds: PyDict, key: string, keywords: Keywords, where: Where): void {
  const lookup = key.slice('with_'.length);
  const at = keyWhere(ds, key, where);
  if (keywords.has('loop') || keywords.has('loop_with')) reject(`duplicate loop in task: ${lookup}`, at);
  const value = ds.get(key) ?? null;
  if (value === null) reject(`you must specify a value when using ${key}`, at);
  keywords.delete(key);
  keywords.set('loop_with', lookup);
  keywords.set('loop', value);
}

/** The names a handler answers to: its name, `role : name`, and each `listen` entry. */
function listenNames(task: Task, ds: PyDict): string[] {
  const names: string[] = [];
  if (task.name !== null) {
    names.push(task.name);
    if (task.role) names.push(`${task.role.name} : ${task.name}`);
  }
  const listen = ds.get('listen');
  const topics: PyValue[] = listen === undefined || listen === null ? [] : Array.isArray(listen) ? listen : [listen];
  for (const topic of topics) names.push(String(topic));
  return names;
}

/**
 * Loads a task file under `parent` (for `include_tasks` at run time, and static imports).
 * The nodes' parent is `parent`; `role` is the role the file belongs to, if any.
 */
export function loadTaskFile(file: string, parent: Block, role: RoleInstance | null, handlers = false): Node[] {
  const context = contextOf(parent.play);
  const { tasks, where } = readTaskList(file);
  return loadNodes(tasks, where, { context, parent, role, handlers, dir: dirname(file) });
}
