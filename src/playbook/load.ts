import { dirname, isAbsolute, resolve } from 'node:path';
import { PyDict } from '../template/values.js';
import { itemPositionOf, loadYamlValue, positionOf } from '../yaml/load.js';
import { knownToFleet } from './actions.js';
import { staticText, type LoadOptions } from './context.js';
import { IMPORT_PLAYBOOK_KEYWORDS } from './keywords.js';
import type { Play, Playbook } from './model.js';
import { loadPlay } from './play.js';
import { fileStart, pythonTypeName, reject, valueWhere, type Where } from './problems.js';
import { ArgumentSplitError, splitArgs } from './splitter.js';
import { checkKeywords } from './validate.js';
import { asList, tagList } from './lists.js';

export type { LoadOptions } from './context.js';

const IMPORT_PLAYBOOK_KEYS = ['import_playbook', 'ansible.builtin.import_playbook', 'ansible.legacy.import_playbook'];

/**
 * Loads a playbook file into plays (playbook/__init__.py `Playbook._load_playbook_data`),
 * with `import_playbook` entries expanded and every task, block and role validated.
 */
export function loadPlaybook(file: string, options: LoadOptions): Playbook {
  const full: Required<LoadOptions> = { isKnownAction: knownToFleet, ...options };
  return { file, plays: loadPlays(resolve(file), full, []) };
}

/** `importVars`: the `vars` of the import_playbook entries that brought this file in, already in force while its plays load. */
function loadPlays(file: string, options: Required<LoadOptions>, importing: string[], importVars = new PyDict()): Play[] {
  const data = loadYamlValue(file);
  const where = fileStart(file);
  if (data === null) reject(`Empty playbook, nothing to do: ${file}`, where);
  if (!Array.isArray(data)) reject(`A playbook must be a list of plays, got a ${pythonTypeName(data)} instead: ${file}`, { ...where, at: positionOf(data) ?? where.at });
  if (data.length === 0) reject(`A playbook must contain at least one play: ${file}`, where);
  const baseDir = dirname(file);
  return data.flatMap((entry, index) => {
    const entryWhere: Where = { at: itemPositionOf(data, index) ?? where.at, path: `[${index}]` };
    if (!(entry instanceof PyDict)) reject("playbook entries must be either valid plays or 'import_playbook' statements", entryWhere);
    const importKey = IMPORT_PLAYBOOK_KEYS.find((key) => entry.has(key));
    if (importKey === undefined) return [loadPlay(entry, entryWhere, file, baseDir, options, importVars)];
    return importPlaybook(entry, importKey, entryWhere, baseDir, options, [...importing, file], importVars);
  });
}

/** playbook_include.py: loads the named playbook and applies the import's vars, tags and when. */
function importPlaybook(entry: PyDict, key: string, where: Where, baseDir: string, options: Required<LoadOptions>, importing: string[], outerVars: PyDict): Play[] {
  // playbook_include.py checks `vars` itself, with its own message, before the generic checks
  const vars = entry.get('vars') ?? new PyDict();
  if (!(vars instanceof PyDict)) return reject('vars for import_playbook statements must be specified as a dictionary', valueWhere(entry, 'vars', where));
  checkKeywords(entry, IMPORT_PLAYBOOK_KEYWORDS, 'PlaybookInclude', where, new Set([key]));
  const at = valueWhere(entry, key, where);
  const value = entry.get(key) ?? null;
  if (value === null) reject('playbook import parameter is missing', at);
  if (typeof value !== 'string') reject(`playbook import parameter must be a string indicating a file path, got ${pythonTypeName(value)} instead`, at);
  const items = splitImport(value, at);
  if (items.length === 0) reject('import_playbook statements must specify the file name to import', at);
  if (items.length > 1) reject(`import_playbook takes only a file name (got '${value}'); give variables under 'vars:'`, at);
  const name = staticText(items[0]?.trim() ?? '', 'import_playbook file name', [options.extraVars, vars, outerVars], at);
  const file = isAbsolute(name) ? name : resolve(baseDir, name);
  if (importing.includes(file)) reject(`import_playbook of '${name}' imports itself`, at);

  const when = asList(entry.get('when'));
  const tags = tagList(entry.get('tags'));
  // PlaybookInclude loads the plays with its vars (playbook_include.py `vars=self.vars.copy()`),
  // under theirs; once loaded, its vars go over theirs (`entry.vars | new_obj.vars`).
  const plays = loadPlays(file, options, importing, new PyDict([...outerVars, ...vars]));
  for (const play of plays) {
    for (const [k, v] of vars) play.vars.set(k, v);
    if (tags.length > 0) {
      const own = tagList(play.keywords.get('tags'));
      play.keywords.set('tags', [...own, ...tags.filter((tag) => !own.includes(tag))]);
    }
    if (when.length > 0) {
      play.includedConditional = [...when, ...(play.includedConditional ?? [])];
      for (const section of [play.preTasks, play.roles, play.tasks, play.postTasks]) {
        section.keywords.set('when', [...when, ...asList(section.keywords.get('when'))]);
      }
    }
  }
  return plays;
}

function splitImport(value: string, where: Where): string[] {
  try {
    return splitArgs(value);
  } catch (error) {
    if (error instanceof ArgumentSplitError) reject(error.message, where);
    throw error;
  }
}

// Re-exported so callers import the loader's public surface from one module.
export { loadTaskFile } from './tasks.js';
export { loadIncludedRole, loadIncludedTasks } from './imports.js';
