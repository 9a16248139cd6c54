import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { RoleInstance } from '../playbook/model.js';

/**
 * Ansible's DataLoader.path_dwim_relative_stack for `files`, `templates`, `vars`, `tasks`:
 * an absolute path as is; else the role's `<kind>/` dir and the role dir (and its parent
 * roles'), then the playbook's `<kind>/` dir and the playbook dir.
 */
export function findNeedle(kind: 'files' | 'templates' | 'vars' | 'tasks', path: string, role: RoleInstance | null, playbookFile: string): string | null {
  if (isAbsolute(path)) return existsSync(path) ? path : null;
  const candidates: string[] = [];
  for (let current = role; current; current = current.parentRole) {
    candidates.push(join(current.path, kind, path), join(current.path, path));
  }
  const playbookDir = dirname(playbookFile);
  candidates.push(join(playbookDir, kind, path), join(playbookDir, path));
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}

/** Directories lookups like `file`/`template` search, in order (the LookupContext's searchPaths). */
export function searchPaths(role: RoleInstance | null, playbookFile: string): string[] {
  const paths: string[] = [];
  for (let current = role; current; current = current.parentRole) paths.push(current.path);
  paths.push(dirname(playbookFile));
  return paths;
}
