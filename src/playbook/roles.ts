import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pyRepr } from '../template/python/index.js';
import { PyDict, PyFloat, PyTuple, type PyValue } from '../template/values.js';
import { combineVars } from '../vars/combine.js';
import { loadYamlValue } from '../yaml/load.js';
import type { LoadContext } from './context.js';
import { staticName } from './context.js';
import { isDirectory, roleSectionFiles } from './files.js';
import { ROLE_KEYWORDS } from './keywords.js';
import type { Block, Keywords, Node, RoleInstance, Task } from './model.js';
import { fileStart, keyWhere, nodeWhere, reject, unavailable, valueWhere, type Where } from './problems.js';
import { loadNodes, newBlock } from './tasks.js';
import { asBoolean, checkKeyword } from './validate.js';
import { mergedVars } from './lists.js';
import { validationTaskData, type MetaArgumentSpecs } from './role_argspecs.js';

/** `tasks_from`, `vars_from`, `defaults_from`, `handlers_from` of import_role/include_role. */
export interface FromFiles {
  tasks?: string;
  vars?: string;
  defaults?: string;
  handlers?: string;
}

export interface RoleRequest {
  fromFiles?: FromFiles;
  /** Loaded by import_role/include_role (a different cache entry than the same role in `roles:`). */
  fromInclude?: boolean;
  /** import_role/include_role's `rolespec_validate` (default true): false loads no argument validation task. */
  validate?: boolean;
  /** import_role/include_role's `allow_duplicates` (default true there), overriding meta's. */
  allowDuplicates?: boolean;
  /**
   * The collections Ansible looks in for the role before the roles paths (its entry's
   * collection search list). fleet loads no role from a collection, so only the "not found"
   * error names them, first, as Ansible does.
   */
  collections?: readonly string[];
}

/** A role entry split as role/definition.py does: keywords vs role params. */
interface RoleEntry {
  name: string;
  keywords: Keywords;
  params: PyDict;
  where: Where;
}

function parseRoleEntry(entry: PyValue, where: Where, context: LoadContext): RoleEntry {
  if (typeof entry === 'string' || typeof entry === 'number') {
    return { name: staticName(entry, 'role name', context, where), keywords: new Map(), params: new PyDict(), where };
  }
  if (!(entry instanceof PyDict)) return reject('role definitions must contain a role name', where);
  const nameKey = entry.has('role') ? 'role' : 'name';
  const rawName = entry.get(nameKey);
  if (typeof rawName !== 'string' || rawName === '') reject('role definitions must contain a role name', where);
  const keywords: Keywords = new Map();
  const params = new PyDict();
  for (const [key, value] of entry) {
    const name = String(key);
    const type = ROLE_KEYWORDS.get(name);
    if (type === undefined) {
      params.set(name, value);
      continue;
    }
    checkKeyword(name, type, entry, 'RoleInclude', where);
    if (name !== 'role' && name !== 'name') keywords.set(name, value);
  }
  return { name: staticName(rawName, 'role name', context, valueWhere(entry, nameKey, where)), keywords, params, where };
}

/** role/definition.py `_load_role_path`: roles/ next to the playbook, roles_path, a dependency's parent role's dir, the playbook dir, then the path as given. */
function findRole(name: string, context: LoadContext, roleBasedir: string | null, collections: readonly string[], where: Where): { name: string; path: string } {
  const searches = [join(context.baseDir, 'roles'), ...context.options.rolesPath];
  if (roleBasedir) searches.push(roleBasedir);
  searches.push(context.baseDir);
  for (const dir of searches) {
    const path = resolve(dir, name);
    if (existsSync(path)) return { name, path };
  }
  const direct = resolve(name);
  if (existsSync(direct)) return { name: basename(name), path: direct };
  return unavailable(`the role '${name}' was not found in ${[...collections, ...searches].join(':')}`, where);
}

/** A deterministic key for role params (Ansible hashes them as a frozenset). */
function stableKey(value: PyValue | undefined): string {
  if (value === undefined) return 'undefined';
  if (value instanceof PyDict) {
    const entries = [...value].map(([k, v]) => `${stableKey(k)}:${stableKey(v)}`).sort();
    return `{${entries.join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (value instanceof PyTuple) return `(${value.items.map(stableKey).join(',')})`;
  if (value instanceof PyFloat) return `f${value.value}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value !== null && typeof value === 'object') return `<${value.pyType}:${pyRepr(value)}>`;
  return JSON.stringify(value);
}

function readVarsSection(role: RoleInstance, subdir: 'vars' | 'defaults', main: string | undefined, where: Where): PyDict {
  let merged = new PyDict();
  for (const file of roleSectionFiles(role.path, subdir, main, true, where)) {
    const data = loadYamlValue(file);
    if (data === null) continue;
    if (!(data instanceof PyDict)) {
      reject(`The ${subdir}/main.yml file for role '${role.name}' must contain a dictionary of variables`, fileStart(file));
    }
    merged = combineVars(merged, data);
  }
  return merged;
}

/** meta/main.yml keys (role/metadata.py `RoleMetadata`: Base, CollectionSearch and its own). */
const META_KEYS = new Set([...ROLE_KEYWORDS.keys(), 'allow_duplicates', 'dependencies', 'galaxy_info', 'argument_specs']);

interface RoleMeta {
  allowDuplicates: PyValue;
  collections?: string[];
  dependencies: PyValue[];
  where: Where;
  argumentSpecs: MetaArgumentSpecs;
}

function readMeta(role: RoleInstance, where: Where): RoleMeta {
  const files = roleSectionFiles(role.path, 'meta', undefined, false, where);
  const file = files[0];
  const empty: RoleMeta = { allowDuplicates: false, dependencies: [], where, argumentSpecs: { value: undefined, where } };
  if (file === undefined) return empty;
  const data = loadYamlValue(file);
  const metaWhere = fileStart(file);
  if (data === null) return { ...empty, where: metaWhere };
  if (!(data instanceof PyDict)) return reject(`the 'meta/main.yml' for role ${role.name} is not a dictionary`, metaWhere);
  const at = nodeWhere(data, metaWhere);
  for (const key of data.keys()) {
    if (!META_KEYS.has(String(key))) reject(`'${String(key)}' is not a valid attribute for a RoleMetadata`, keyWhere(data, String(key), at));
  }
  if (data.has('allow_duplicates')) checkKeyword('allow_duplicates', 'bool', data, 'RoleMetadata', at);
  const deps = data.get('dependencies') ?? null;
  if (deps !== null && !Array.isArray(deps)) reject('Expected role dependencies to be a list.', valueWhere(data, 'dependencies', at));
  const collections = data.get('collections');
  const meta: RoleMeta = {
    allowDuplicates: data.get('allow_duplicates') ?? false,
    dependencies: deps ?? [],
    where: { ...valueWhere(data, 'dependencies', at) },
    argumentSpecs: { value: data.get('argument_specs'), where: valueWhere(data, 'argument_specs', at) },
  };
  if (Array.isArray(collections)) meta.collections = collections.map(String);
  return meta;
}

/**
 * Role.load: the instance for a role entry, shared when the same role is listed again with the
 * same params, keywords and `*_from` files (play.ROLE_CACHE), so the executor can run it once.
 */
export function loadRole(entryValue: PyValue, where: Where, context: LoadContext, parentRole: RoleInstance | null, request: RoleRequest = {}, loading: string[] = []): RoleInstance {
  const entry = parseRoleEntry(entryValue, where, context);
  // Only a dependency searches next to the role that needs it: IncludeRole's RoleInclude has no role basedir.
  const roleBasedir = parentRole && request.fromInclude !== true ? dirname(parentRole.path) : null;
  const found = findRole(entry.name, context, roleBasedir, request.collections ?? [], where);
  // role/__init__.py hashes the role params with when, tags, vars and the *_from files
  const identity: [string, PyValue][] = [
    ['params', entry.params],
    ['when', entry.keywords.get('when') ?? null],
    ['tags', entry.keywords.get('tags') ?? null],
    ['vars', entry.keywords.get('vars') ?? null],
    ['from', new PyDict(Object.entries(request.fromFiles ?? {}))],
    ['from_include', request.fromInclude ?? false],
    // an instance loaded without validation holds no validation task
    ['validate', request.validate !== false],
  ];
  const cacheKey = stableKey(new PyDict(identity));
  const cached = context.roleCache.get(found.path)?.get(cacheKey);
  if (cached) return cached;
  if (loading.includes(found.path)) {
    reject('A recursion loop was detected with the roles specified. Make sure child roles do not have dependencies on parent roles', where);
  }
  if (!isDirectory(found.path)) reject(`the role '${entry.name}' at ${found.path} is not a directory`, where);

  const role: RoleInstance = {
    kind: 'role',
    name: found.name,
    path: found.path,
    at: where.at,
    params: entry.params,
    defaults: new PyDict(),
    vars: new PyDict(),
    keywords: entry.keywords,
    dependencies: [],
    parentRole,
    fromFiles: request.fromFiles ?? {},
    allowDuplicates: false,
  };
  // Role.get_vars: the entry's `vars:` keyword, then vars/main over it, in the role vars layer.
  role.vars = combineVars(mergedVars(entry.keywords.get('vars')), readVarsSection(role, 'vars', request.fromFiles?.vars, where));
  role.defaults = readVarsSection(role, 'defaults', request.fromFiles?.defaults, where);
  const meta = readMeta(role, where);
  role.allowDuplicates = request.allowDuplicates ?? asBoolean(meta.allowDuplicates) === true;
  if (meta.collections) role.collections = meta.collections;
  if (request.validate !== false) {
    const validationTask = validationTaskData(role, meta.argumentSpecs, where);
    if (validationTask) role.validationTask = validationTask;
  }
  // RoleMetadata._load_dependencies searches the role's collections, which are still empty
  // for a role outside a collection when its meta loads, and then ansible.legacy.
  role.dependencies = meta.dependencies.map((dep, index) =>
    loadRole(dep, { ...meta.where, path: `${meta.where.path}[${index}]` }, context, role, { collections: ['ansible.legacy'] }, [...loading, found.path]),
  );
  const byParams = context.roleCache.get(found.path) ?? new Map<string, RoleInstance>();
  byParams.set(cacheKey, role);
  context.roleCache.set(found.path, byParams);
  return role;
}

function sectionNodes(role: RoleInstance, subdir: 'tasks' | 'handlers', block: Block, context: LoadContext, where: Where): Node[] {
  const files = roleSectionFiles(role.path, subdir, role.fromFiles?.[subdir], false, where);
  const file = files[0];
  const section = { context, parent: block, role, handlers: subdir === 'handlers', dir: file === undefined ? join(role.path, subdir) : dirname(file) };
  // Ansible prepends the validation task to the role's task data, even when it has no tasks.
  const validation = subdir === 'tasks' && role.validationTask ? loadNodes([role.validationTask], where, section) : [];
  if (file === undefined) return validation;
  const data = loadYamlValue(file);
  const fileWhere = fileStart(file);
  if (data !== null && !Array.isArray(data)) {
    reject(`The ${subdir}/main.yml file for role '${role.name}' must contain a list of tasks`, fileWhere);
  }
  return [...validation, ...loadNodes(data, fileWhere, section)];
}

/**
 * Role.compile: one block per listing of the role, holding its dependencies' blocks and then
 * its own tasks. Dependencies nest inside, so walking up from a dependency's task passes the
 * roles that pulled it in (Ansible's dep chain).
 */
/** A role's dependencies, each after its own, depth first (Role.get_all_dependencies). */
export function allDependencies(role: RoleInstance): RoleInstance[] {
  return role.dependencies.flatMap((dep) => [...allDependencies(dep), dep]);
}

export function roleTaskBlock(role: RoleInstance, parent: Block | null, context: LoadContext): Block {
  const block = newBlock(role.at, parent, { context, role });
  for (const dep of role.dependencies) block.block.push(roleTaskBlock(dep, block, context));
  block.block.push(...sectionNodes(role, 'tasks', block, context, { at: role.at, path: '' }));
  return block;
}

/** Role.get_handler_blocks: the dependencies' handlers, then the role's own, once per instance. */
export function roleHandlers(role: RoleInstance, parent: Block | null, context: LoadContext, seen: Set<RoleInstance>): Task[] {
  if (seen.has(role)) return [];
  seen.add(role);
  const block = newBlock(role.at, parent, { context, role });
  const handlers: Task[] = [];
  for (const dep of role.dependencies) handlers.push(...roleHandlers(dep, block, context, seen));
  block.block = sectionNodes(role, 'handlers', block, context, { at: role.at, path: '' });
  handlers.push(...tasksIn(block.block));
  return handlers;
}

/** Every task under some nodes, depth first (handlers are run as a flat list). */
export function tasksIn(nodes: Node[]): Task[] {
  return nodes.flatMap((node) => (node.kind === 'task' ? [node] : [...tasksIn(node.block), ...tasksIn(node.rescue), ...tasksIn(node.always)]));
}

