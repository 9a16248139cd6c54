import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { RoleInstance, Task } from '../playbook/model.js';
import type { LookupContext } from '../template/registry.js';
import type { PlayContext } from './context.js';
import { taskBasedir } from './scope.js';

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

/**
 * Directories lookups like `file`/`template`/`first_found` search, in order (the
 * LookupContext's searchPaths): Task.get_search_path — the role chain, then the dir of the
 * task's own file (a role's tasks/, an included file's dir) — and the play's basedir last,
 * as VariableManager sets `ansible_search_path`.
 */
export function searchPaths(role: RoleInstance | null, taskFile: string, playbookFile: string): string[] {
  const paths: string[] = [];
  for (let current = role; current; current = current.parentRole) paths.push(current.path);
  for (const dir of [dirname(taskFile), dirname(playbookFile)]) if (!paths.includes(dir)) paths.push(dir);
  return paths;
}

/** What lookups in a task's templates see: its basedir and search path, the controller's environment. */
export function taskLookupContext(play: PlayContext, task: Task): LookupContext {
  return { basedir: taskBasedir(play, task), searchPaths: searchPaths(task.role, task.at.file, play.play.file), env: process.env };
}
