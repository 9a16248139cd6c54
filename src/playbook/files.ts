import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, resolve } from 'node:path';
import type { PyValue } from '../template/values.js';
import { loadYamlValue } from '../yaml/load.js';
import { fileStart, reject, unavailable, type Where } from './problems.js';
import { fileNotFoundText } from '../errors.js';

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** The first of `dirs`/`name` that exists (an absolute `name` is taken as is). */
export function findFile(name: string, dirs: string[], where: Where): string {
  const { path, found } = locateFile(name, dirs);
  return found ? path : unavailable(notFound(path), where);
}

/** Where `name` is: the first of `dirs` that holds it, or (not found) where it was looked for last. */
export function locateFile(name: string, dirs: string[]): { path: string; found: boolean } {
  if (isAbsolute(name)) return { path: name, found: existsSync(name) };
  for (const dir of dirs) {
    const candidate = resolve(dir, name);
    if (existsSync(candidate) && !isDirectory(candidate)) return { path: candidate, found: true };
  }
  return { path: resolve(dirs[dirs.length - 1] ?? '.', name), found: false };
}

function notFound(path: string): string {
  return fileNotFoundText('Unable to retrieve file contents', path);
}

/** A file that holds a list of tasks; an empty file is an empty list. */
export function readTaskList(file: string): { tasks: PyValue[]; where: Where } {
  const value = loadYamlValue(file);
  const where = fileStart(file);
  if (value === null) return { tasks: [], where };
  if (!Array.isArray(value)) unavailable('included task files must contain a list of tasks', where);
  return { tasks: value, where };
}

const ROLE_FILE_EXTENSIONS = ['.yml', '.yaml', '.json'];

/**
 * The file(s) of a role section, as role/__init__.py `_load_role_yaml` finds them:
 * `<subdir>/main` with `.yml`, `.yaml`, `.json` or no extension (a named `*_from` file tries
 * the bare name first), and for vars/defaults a directory of that name whose files merge in
 * sorted order. Empty when the section is absent; a missing named file is an error.
 */
export function roleSectionFiles(rolePath: string, subdir: string, main: string | undefined, allowDir: boolean, where: Where): string[] {
  const dir = join(rolePath, subdir);
  if (!isDirectory(dir)) {
    if (main !== undefined) reject(`Could not find specified file in role: ${subdir}/${main}`, where);
    return [];
  }
  const extensions = main === undefined ? [...ROLE_FILE_EXTENSIONS, ''] : ['', ...ROLE_FILE_EXTENSIONS];
  const base = join(dir, main ?? 'main');
  for (const ext of extensions) {
    const candidate = base + ext;
    if (!existsSync(candidate)) continue;
    if (isDirectory(candidate)) {
      if (allowDir) return directoryVarsFiles(candidate);
      continue;
    }
    return [candidate];
  }
  if (main !== undefined) reject(`Could not find specified file in role: ${subdir}/${main}`, where);
  return [];
}

/** dataloader.py `_get_dir_vars_files`: sorted, recursive, hidden and backup files skipped. */
function directoryVarsFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const full = join(dir, entry);
    const ext = extname(entry);
    if (isDirectory(full) && ext === '') found.push(...directoryVarsFiles(full));
    else if (!isDirectory(full) && (ext === '' || ROLE_FILE_EXTENSIONS.includes(ext))) found.push(full);
  }
  return found;
}

export { isDirectory };
