import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { POLICY_FILE_NAME } from '../fleet/policy.js';

/** What `fleet validate` reads, each file once (by real path). */
export interface ValidationTargets {
  /** Project roots found among the paths (their inventory and playbooks are checked together). */
  roots: string[];
  yamlFiles: string[];
  /** Jinja2 template files (under a templates/ directory, or *.j2). */
  templateFiles: string[];
  /** Playbook files to load: a project's playbooks/*.yml. */
  playbooks: string[];
  /** YAML files that are playbooks if their content is a list of plays. */
  playbookCandidates: string[];
  inventories: string[];
  policyFiles: string[];
}

/** What a project holds, as `fleet validate` with no paths checks it. */
export const PROJECT_ENTRIES = ['inventory', 'playbooks', 'roles', 'group_vars', 'host_vars', POLICY_FILE_NAME];
const YAML_EXTS = new Set(['.yml', '.yaml', '.json']);
const DEFAULT_INVENTORY = join('inventory', 'hosts.yml');

/** The project a path belongs to: the nearest directory at or above it holding one, if any. */
export function enclosingProject(path: string): string | undefined {
  for (let dir = path; ; dir = dirname(dir)) {
    if (existsSync(dir) && statSync(dir).isDirectory() && isProjectRoot(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function isProjectRoot(dir: string): boolean {
  return ['playbooks', POLICY_FILE_NAME].some((entry) => existsSync(join(dir, entry)));
}

/** Files under a path (itself when a file), hidden entries and editor backups left out, symlinks followed. */
function walk(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return [];
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .filter((name) => !name.startsWith('.') && !name.endsWith('~') && name !== 'node_modules')
    .flatMap((name) => walk(join(path, name)));
}

const inDir = (file: string, dir: string) => file.split(sep).slice(0, -1).includes(dir);

/**
 * The files to check for `paths` (default: the project in `cwd`). A directory holding a
 * project (playbooks/ or BANNED_PROVIDERS.yml) is checked as one: its
 * inventory/hosts.yml (or inventory/), the playbooks directly in playbooks/, and every file
 * of its project entries. Any other directory or file is checked file by file; a YAML list
 * outside tasks/, handlers/ and vars directories is loaded as a playbook.
 */
export function validationTargets(paths: string[], cwd: string, inventories: string[]): ValidationTargets {
  const targets: ValidationTargets = { roots: [], yamlFiles: [], templateFiles: [], playbooks: [], playbookCandidates: [], inventories: [], policyFiles: [] };
  const seen = new Set<string>();
  const add = (file: string, projectPlaybook: boolean) => {
    const real = realpathSync(file);
    if (seen.has(real)) return;
    seen.add(real);
    const ext = extname(real);
    if (basename(real) === POLICY_FILE_NAME) targets.policyFiles.push(real);
    else if (inDir(real, 'templates') || ext === '.j2') targets.templateFiles.push(real);
    else if (YAML_EXTS.has(ext)) {
      targets.yamlFiles.push(real);
      if (projectPlaybook) targets.playbooks.push(real);
      else if (looksLikePlaybookPath(real)) targets.playbookCandidates.push(real);
    }
  };
  for (const path of paths.length > 0 ? paths.map((each) => resolve(cwd, each)) : [cwd]) {
    if (existsSync(path) && statSync(path).isDirectory() && isProjectRoot(path)) {
      targets.roots.push(path);
      const inventory = existsSync(join(path, DEFAULT_INVENTORY)) ? join(path, DEFAULT_INVENTORY) : join(path, 'inventory');
      if (existsSync(inventory)) targets.inventories.push(inventory);
      for (const entry of PROJECT_ENTRIES) for (const file of walk(join(path, entry))) add(file, dirname(file) === join(path, 'playbooks'));
    } else {
      for (const file of walk(path)) add(file, false);
    }
  }
  targets.inventories.push(...inventories.map((each) => resolve(cwd, each)));
  return targets;
}

/** A YAML file outside role sections, vars and inventory directories may be a playbook (its content decides). */
function looksLikePlaybookPath(file: string): boolean {
  return !['tasks', 'handlers', 'vars', 'defaults', 'meta', 'group_vars', 'host_vars', 'inventory', 'files'].some((dir) => inDir(file, dir));
}
