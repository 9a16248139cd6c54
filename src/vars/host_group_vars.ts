import { readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import { PyDict } from '../template/values.js';
import { combineVars } from './combine.js';
import { loadYamlFile, positionOf } from '../yaml/load.js';

/**
 * Ansible's `host_group_vars` vars plugin (ansible/plugins/vars/host_group_vars.py with
 * DataLoader.find_vars_files): for a base directory (an inventory's or the playbook's),
 * `group_vars/<group>` and `host_vars/<host>` are either one file — tried as `<name>`,
 * `<name>.yml`, `<name>.yaml`, `<name>.json`, first found wins — or a directory whose files
 * are read recursively in sorted order, later files overriding earlier ones.
 */

const VARS_EXTENSIONS = ['.yml', '.yaml', '.json'];

type Kind = 'group_vars' | 'host_vars';
export type Warn = (message: string) => void;

const cache = new Map<string, PyDict>();
const varsDirs = new Map<string, VarsDir>();

interface VarsDir {
  /** `<baseDir>/group_vars` with symlinks resolved, as Ansible keys its cache. */
  path: string;
  kind: 'directory' | 'other' | 'missing';
}

/** Resolves and stats `<baseDir>/<kind>` once per run rather than once per host or group. */
function varsDirOf(baseDir: string, kind: Kind): VarsDir {
  const key = `${resolve(baseDir)}\0${kind}`;
  let dir = varsDirs.get(key);
  if (dir === undefined) {
    const path = realPath(join(baseDir, kind));
    const stat = statOrUndefined(path);
    dir = { path, kind: !stat ? 'missing' : stat.isDirectory() ? 'directory' : 'other' };
    varsDirs.set(key, dir);
  }
  return dir;
}

export function loadGroupVars(baseDir: string, groupName: string, warn?: Warn): PyDict {
  return loadVars(baseDir, 'group_vars', groupName, warn);
}

export function loadHostVars(baseDir: string, hostName: string, warn?: Warn): PyDict {
  return loadVars(baseDir, 'host_vars', hostName, warn);
}

function loadVars(baseDir: string, kind: Kind, name: string, warn?: Warn): PyDict {
  // Names that are absolute paths are never looked up (they would escape the directory).
  if (name.startsWith('/')) return new PyDict();
  const dir = varsDirOf(baseDir, kind);
  const key = `${dir.path}\0${name}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let result = new PyDict();
  if (dir.kind === 'other') warn?.(`Found ${kind} that is not a directory, skipping: ${dir.path}`);
  if (dir.kind === 'directory') {
    for (const file of findVarsFiles(dir.path, name)) {
      result = combineVars(result, loadVarsFile(file));
    }
  }
  cache.set(key, result);
  return result;
}

/** The files that define `name` under `dir`, in the order they apply. */
function findVarsFiles(dir: string, name: string): string[] {
  for (const ext of ['', ...VARS_EXTENSIONS]) {
    const path = join(dir, name + ext);
    const stat = statOrUndefined(path);
    if (!stat) continue;
    return stat.isDirectory() ? filesInVarsDir(path) : [path];
  }
  return [];
}

/** Every vars file in a directory tree, sorted per directory; hidden and backup (`~`) files skipped. */
function filesInVarsDir(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const path = join(dir, entry);
    const ext = extname(entry);
    const stat = statOrUndefined(path);
    if (stat?.isDirectory() && !ext) found.push(...filesInVarsDir(path));
    else if (stat?.isFile() && (!ext || VARS_EXTENSIONS.includes(ext))) found.push(path);
  }
  return found;
}

function loadVarsFile(file: string): PyDict {
  const loaded = loadYamlFile(file);
  const at = { file, line: 1, col: 1 };
  if (loaded.documents.length > 1) {
    throw new ValidationError('a vars file must hold a single YAML document', { location: at });
  }
  const data = loaded.documents[0] ?? null;
  // Empty files (and other falsy documents) are skipped, as Ansible does.
  if (data === null || data === false || data === 0 || data === '') return new PyDict();
  if (data instanceof PyDict) return data;
  if (Array.isArray(data) && data.length === 0) return new PyDict();
  throw new ValidationError('a vars file must be a mapping of variable names to values', {
    location: positionOf(data) ?? at,
  });
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
