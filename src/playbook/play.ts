import { PyDict } from '../template/values.js';
import { copyPositions, itemPositionOf, positionOf } from '../yaml/load.js';
import { collectionSearchList, withLegacyCollection } from './collections.js';
import { rememberContext, type LoadContext, type LoadOptions } from './context.js';
import { PLAY_KEYWORDS } from './keywords.js';
import type { Block, Keywords, Play } from './model.js';
import { keyWhere, reject, valueWhere, type Where } from './problems.js';
import { loadRole, roleHandlers, roleTaskBlock, tasksIn } from './roles.js';
import { loadNodes, newBlock } from './tasks.js';
import { checkKeywords } from './validate.js';
import { asList, mergedVars } from './lists.js';
import { checkVarsPrompt } from './vars_prompt.js';
import { checkStrategy } from './strategy.js';
import { combineVars } from '../vars/combine.js';

/** Keys of a play that are structure, not keywords. */
const STRUCTURE = new Set(['hosts', 'vars', 'vars_files', 'pre_tasks', 'roles', 'tasks', 'post_tasks', 'handlers']);
const TASK_SECTIONS = [
  ['pre_tasks', 'preTasks'],
  ['tasks', 'tasks'],
  ['post_tasks', 'postTasks'],
] as const;

/** play.py `preprocess_data`: the deprecated `user` is `remote_user`. */
function withoutUserAlias(ds: PyDict, where: Where): PyDict {
  if (!ds.has('user')) return ds;
  if (ds.has('remote_user')) {
    reject("both 'user' and 'remote_user' are set for this play. The use of 'user' is deprecated, and should be removed", keyWhere(ds, 'user', where));
  }
  const renamed = new PyDict([...ds].map(([k, v]) => [k === 'user' ? 'remote_user' : k, v]));
  copyPositions(ds, renamed);
  return renamed;
}

/** Loads one play (play.py `Play.load`), expanding its roles and static imports. */
/**
 * `importVars`: the vars of the import_playbook entries that brought the play in (Play.load's
 * `vars`): while the play loads, its own vars beat them; the import lays them over it after.
 */
export function loadPlay(raw: PyDict, where: Where, file: string, baseDir: string, options: Required<LoadOptions>, importVars: PyDict = new PyDict()): Play {
  const ds = withoutUserAlias(raw, where);
  checkKeywords(ds, PLAY_KEYWORDS, 'Play', where);
  if (!ds.has('hosts')) reject("the field 'hosts' is required but was not set", where);

  const keywords: Keywords = new Map();
  for (const [key, value] of ds) if (!STRUCTURE.has(String(key))) keywords.set(String(key), value);
  const name = ds.get('name');
  // The section blocks point at the play, so the play exists first and gets them below.
  const play = {
    kind: 'play',
    at: where.at,
    file,
    name: name === undefined || name === null ? null : String(name),
    hosts: ds.get('hosts') ?? null,
    keywords,
    // Play.load starts from the import_playbook's vars and combines the play's own over them.
    vars: combineVars(importVars, mergedVars(ds.get('vars'))),
    varsFiles: asList(ds.get('vars_files')),
    handlers: [],
    roleInstances: [],
    listedRoles: [],
  } as Omit<Play, 'preTasks' | 'roles' | 'tasks' | 'postTasks'> as Play;
  const context: LoadContext = {
    play,
    options,
    baseDir,
    roleCache: new Map(),
    importedHandlers: [],
    rolesWithHandlers: new Set(),
    includedRoleHandlers: new Map(),
  };
  rememberContext(context);
  const sectionAt = (key: string): Where => {
    const value = ds.get(key);
    return { at: (value !== undefined ? positionOf(value) : undefined) ?? keyWhere(ds, key, where).at, path: `${where.path}.${key}` };
  };

  checkVarsPrompt(ds.get('vars_prompt'), sectionAt('vars_prompt'));
  checkStrategy(ds.get('strategy'), valueWhere(ds, 'strategy', where));
  play.preTasks = loadSection(ds, 'pre_tasks', sectionAt('pre_tasks'), context);
  play.roles = newBlock(sectionAt('roles').at, null, { context, role: null });
  const roleList = ds.get('roles') ?? null;
  if (roleList !== null && !Array.isArray(roleList)) reject('A malformed role declaration was encountered: roles must be a list', sectionAt('roles'));
  const roles = (roleList ?? []).map((entry, index) => {
    const entryWhere: Where = { at: itemPositionOf(roleList ?? [], index) ?? sectionAt('roles').at, path: `${where.path}.roles[${index}]` };
    return loadRole(entry, entryWhere, context, null, { collections: withLegacyCollection(collectionSearchList(undefined, play.roles, null)) });
  });
  for (const role of roles) play.roles.block.push(roleTaskBlock(role, play.roles, context));
  // play.py puts the listed roles before those pre_tasks imported (`self.roles[:0] = roles`)
  play.listedRoles.unshift(...roles);
  for (const [key, field] of TASK_SECTIONS) if (key !== 'pre_tasks') play[field] = loadSection(ds, key, sectionAt(key), context);

  const handlerRoot = newBlock(sectionAt('handlers').at, null, { context, role: null });
  handlerRoot.block = loadNodes(ds.get('handlers') ?? null, sectionAt('handlers'), { context, parent: handlerRoot, role: null, handlers: true, dir: baseDir });
  play.handlers = [
    ...roles.flatMap((role) => roleHandlers(role, play.roles, context, context.rolesWithHandlers)),
    ...tasksIn(handlerRoot.block),
    ...context.importedHandlers,
  ];
  play.roleInstances = [...context.roleCache.values()].flatMap((byParams) => [...byParams.values()]);
  return play;
}

function loadSection(ds: PyDict, key: string, where: Where, context: LoadContext): Block {
  const block = newBlock(where.at, null, { context, role: null });
  block.block = loadNodes(ds.get(key) ?? null, where, { context, parent: block, role: null, handlers: false, dir: context.baseDir });
  return block;
}
