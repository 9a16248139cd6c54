import { basename, dirname, join } from 'node:path';
import { PyDict } from '../template/values.js';
import { taskRoleCollections } from './collections.js';
import { contextOf } from './context.js';
import { findFile, locateFile, readTaskList } from './files.js';
import { BLOCK_KEYWORDS } from './keywords.js';
import type { Block, Keywords, RoleInstance, Task } from './model.js';
import { pythonTypeName, reject, type Where } from './problems.js';
import { allDependencies, loadRole, roleHandlers, roleTaskBlock, type FromFiles } from './roles.js';
import { loadNodes, newBlock, type Section } from './tasks.js';
import { asBoolean, checkKeywords, isTemplate } from './validate.js';
import { asList } from './lists.js';
import { staticName } from './context.js';

/**
 * import_tasks/import_role (expanded while loading) and include_tasks/include_role (kept as
 * tasks; the executor calls `loadIncludedTasks`/`loadIncludedRole` when they run).
 */

const TASK_FILE_ARGS = new Set(['file', '_raw_params', 'apply']);
const ROLE_ARGS = new Set(['name', 'role', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'apply', 'public', 'allow_duplicates', 'rolespec_validate']);
const FROM_ARGS = ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from'] as const;

/** task_include.py `check_options` and role_include.py `IncludeRole.load`. */
export function checkIncludeArgs(task: Task, where: Where): void {
  const { action, args } = task;
  const isRole = action === 'include_role' || action === 'import_role';
  // the deprecated `include` takes any k=v: they become variables of the included tasks
  const valid = isRole ? ROLE_ARGS : action === 'include' ? new Set([...args.keys()].map(String)) : TASK_FILE_ARGS;
  if (isRole && args.get('name') === undefined && args.get('role') === undefined) {
    reject(`'name' is a required field for ${action}.`, where);
  }
  if (isRole && args.has('public') && action !== 'include_role') reject(`Invalid options for ${action}: public`, where);
  const bad = [...args.keys()].map(String).filter((key) => !valid.has(key));
  if (bad.length > 0) reject(`Invalid options for ${action}: ${bad.join(',')}`, where);
  if (!isRole) {
    const raw = args.get('_raw_params');
    if (raw === undefined || raw === null || raw === '') {
      const file = args.get('file');
      args.delete('file');
      if (file === undefined || file === null || file === '') reject(`No file specified for ${action}`, where);
      args.set('_raw_params', file);
    }
  }
  for (const key of FROM_ARGS) {
    const value = args.get(key);
    if (value !== undefined && typeof value !== 'string') reject(`Expected a string for ${key} but got ${pythonTypeName(value)} instead`, where);
  }
  const apply = args.get('apply');
  if (apply !== undefined && apply !== null) {
    if (!(apply instanceof PyDict)) return reject(`Expected a dict for apply but got ${pythonTypeName(apply)} instead`, where);
    if (apply.size > 0 && action !== 'include_tasks' && action !== 'include_role') reject(`Invalid options for ${action}: apply`, where);
    checkKeywords(apply, BLOCK_KEYWORDS, 'Block', { ...where, path: `${where.path}.apply` });
  }
}

/** Keywords an import passes on to what it imports: all of the import task's own. */
function importKeywords(task: Task): Keywords {
  return new Map([...task.keywords].filter(([key]) => key !== 'loop' && key !== 'loop_with'));
}

/**
 * Where a task file named by an import or include is looked for: next to the file that names
 * it (helpers.py's walk up the parent includes), and in a role its `tasks/` (`handlers/` for
 * handlers) directory first, then the role and the playbook directory (`path_dwim_relative`).
 */
function taskFileDirs(fromDir: string, role: RoleInstance | null, baseDir: string, subdir: 'tasks' | 'handlers' = 'tasks'): string[] {
  if (!role) return [fromDir, baseDir];
  return [join(role.path, subdir), fromDir, role.path, join(baseDir, subdir), baseDir];
}

/** Blocks that hold what a dynamic include loaded at run time. */
const dynamicRoots = new WeakSet<Block>();

function insideDynamicInclude(block: Block | null): boolean {
  for (let current = block; current; current = current.parent) if (dynamicRoots.has(current)) return true;
  return false;
}

/**
 * The deprecated `include` (helpers.py): static — expanded like import_tasks, its k=v args
 * becoming variables of the included tasks (TaskInclude.get_vars) — unless its file name
 * is templated, it loops, or it sits in a dynamically included file. fleet refuses the dynamic
 * form, whose semantics differ from include_tasks in ways the executor does not reproduce.
 */
export function expandLegacyInclude(task: Task, section: Section, where: Where): Block {
  const file = task.args.get('_raw_params') ?? null;
  if (isTemplate(file) || task.keywords.has('loop') || insideDynamicInclude(section.parent)) {
    reject("a dynamic 'include' (templated file name, loop, or inside a dynamic include) is not supported by fleet; use include_tasks", where);
  }
  const ownVars = task.keywords.get('vars');
  // all its args, `_raw_params` too, as TaskInclude.get_vars merges them over its vars
  task.keywords.set('vars', [...asList(ownVars), new PyDict(task.args)]);
  const block = expandImport(task, section, where);
  if (ownVars !== undefined) block.includeParams = ownVars;
  return block;
}

/** Replaces a static import task by a block of what it imports, carrying its keywords. */
export function expandImport(task: Task, section: Section, where: Where): Block {
  const { context } = section;
  const block = newBlock(task.at, section.parent, section, importKeywords(task));
  if (task.action === 'import_tasks' || task.action === 'include') {
    const name = staticName(task.args.get('_raw_params') ?? null, 'import_tasks file name', context, where);
    const file = findFile(name, taskFileDirs(section.dir, section.role, context.baseDir, section.handlers ? 'handlers' : 'tasks'), where);
    const importing = section.importing ?? [];
    if (importing.includes(file)) reject(`import_tasks of '${name}' imports itself (recursion through ${importing.join(' -> ')})`, where);
    const { tasks, where: fileWhere } = readTaskList(file);
    block.block = loadNodes(tasks, fileWhere, { ...section, parent: block, dir: dirname(file), importing: [...importing, file] });
    return block;
  }
  const role = loadRole(task.args.get('name') ?? task.args.get('role') ?? null, where, context, section.role, {
    fromFiles: fromFilesOf(task.args, (text, key) => staticName(text, `import_role ${key}`, context, where)),
    fromInclude: true,
    allowDuplicates: allowDuplicatesOf(task.args),
    validate: rolespecValidateOf(task.args),
    collections: taskRoleCollections(task),
  });
  if (section.role) block.includedFromRole = section.role;
  context.play.listedRoles.push(role);
  block.block = [roleTaskBlock(role, block, context)];
  context.importedHandlers.push(...roleHandlers(role, block, context, context.rolesWithHandlers));
  return block;
}

/** `tasks_from` & co.; `resolve` templates them when the role is imported at load time. */
function fromFilesOf(args: PyDict, resolve: (text: string, key: string) => string = (text) => text): FromFiles {
  const from: FromFiles = {};
  for (const key of FROM_ARGS) {
    const value = args.get(key);
    // role_include.py keeps only the file's base name
    if (typeof value === 'string') from[key.replace('_from', '') as keyof FromFiles] = basename(resolve(value, key));
  }
  return from;
}

function allowDuplicatesOf(args: PyDict): boolean {
  const value = args.get('allow_duplicates');
  return value === undefined ? true : asBoolean(value) ?? true;
}

/** `rolespec_validate` (default true): whether the role's entry point is validated against its argument spec. */
function rolespecValidateOf(args: PyDict): boolean {
  const value = args.get('rolespec_validate');
  return value === undefined ? true : asBoolean(value) ?? true;
}

/**
 * The parent for what a dynamic include loads: included tasks do not inherit the include's
 * keywords (its parent is not static), only its vars and its `apply` keywords.
 */
function includeParent(task: Task, loopVars: PyDict): Block {
  const context = contextOf(task.parent.play);
  const section = { context, role: task.role };
  let parent = task.parent;
  // the loop variables of the item that included it join the include's vars (StrategyBase._copy_included_file)
  const vars = loopVars.size > 0 ? [...asList(task.keywords.get('vars')), loopVars] : task.keywords.get('vars');
  if (vars !== undefined) {
    parent = newBlock(task.at, parent, section, new Map([['vars', vars]]));
    parent.includeParams = vars;
  }
  const apply = task.args.get('apply');
  const keywords: Keywords = apply instanceof PyDict ? new Map([...apply].map(([k, v]) => [String(k), v])) : new Map();
  const block = newBlock(task.at, parent, section, keywords);
  dynamicRoots.add(block);
  return block;
}

function includedTaskDirs(task: Task): string[] {
  return taskFileDirs(dirname(task.at.file), task.role, contextOf(task.parent.play).baseDir);
}

/** The file an `include_tasks` names (its templated `file`), or where it was looked for. */
export function locateIncludedTasks(task: Task, file: string): { path: string; found: boolean } {
  return locateFile(file, includedTaskDirs(task));
}

/**
 * Loads what an `include_tasks` task names, once its file name is templated (`file`), with
 * the loop variables of the item that included it. The returned block's tasks are run in
 * place of the include.
 */
export function loadIncludedTasks(task: Task, file: string, loopVars: PyDict = new PyDict()): Block {
  const context = contextOf(task.parent.play);
  const where: Where = { at: task.at, path: '' };
  const path = findFile(file, includedTaskDirs(task), where);
  const block = includeParent(task, loopVars);
  const { tasks, where: fileWhere } = readTaskList(path);
  // A handler's include loads handlers (strategy _load_included_file's is_handler): only handlers load with `listen`.
  const handlers = task.listen !== undefined;
  block.block = loadNodes(tasks, fileWhere, { context, parent: block, role: task.role, handlers, dir: dirname(path) });
  return block;
}

/** What an include_role loads: the role's block to run in place of the task, and its handlers. */
export interface IncludedRole {
  role: RoleInstance;
  block: Block;
  handlers: Task[];
}

/** Loads the role an `include_role` task names, with its args templated by the executor (and an item's loop variables). */
export function loadIncludedRole(task: Task, args: PyDict, loopVars: PyDict = new PyDict()): IncludedRole {
  const context = contextOf(task.parent.play);
  const where: Where = { at: task.at, path: '' };
  const role = loadRole(args.get('name') ?? args.get('role') ?? null, where, context, task.role, {
    fromFiles: fromFilesOf(args),
    fromInclude: true,
    allowDuplicates: allowDuplicatesOf(args),
    validate: rolespecValidateOf(args),
    collections: taskRoleCollections(task),
  });
  const parent = includeParent(task, loopVars);
  if (task.role) parent.includedFromRole = task.role;
  // role_include.py: a public include joins the play's roles each time it is loaded, and from
  // then on its defaults and vars are every later task's, on every host of the play.
  if (asBoolean(args.get('public') ?? false) === true) {
    context.play.listedRoles.push(role);
    for (const each of [...allDependencies(role), role]) if (!context.play.roleInstances.includes(each)) context.play.roleInstances.push(each);
  }
  const block = roleTaskBlock(role, parent, context);
  parent.block = [block];
  // Ansible compiles a role instance's handlers once: including it again (another host, a
  // loop) must give the same handler tasks, or a notify would run them once per include.
  let handlers = context.includedRoleHandlers.get(role);
  if (!handlers) {
    handlers = roleHandlers(role, parent, context, new Set());
    context.includedRoleHandlers.set(role, handlers);
  }
  return { role, block: parent, handlers };
}
