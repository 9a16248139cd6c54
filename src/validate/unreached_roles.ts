import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, sep } from 'node:path';
import { loadPlaybook } from '../playbook/load.js';
import type { Playbook, RoleInstance } from '../playbook/model.js';
import type { PyDict } from '../template/values.js';
import type { Problems } from './problems.js';

/** Role directories among the checked files: `…/roles/NAME/` holding `tasks/main.yml`. */
function roleDirs(files: string[]): string[] {
  const dirs = new Set<string>();
  for (const file of files) {
    const parts = file.split(sep);
    const at = parts.lastIndexOf('roles');
    if (at < 0 || at + 2 >= parts.length) continue;
    const dir = parts.slice(0, at + 2).join(sep);
    if (existsSync(join(dir, 'tasks', 'main.yml'))) dirs.add(dir);
  }
  return [...dirs];
}

function reachedRoles(playbooks: Playbook[]): Set<string> {
  const reached = new Set<string>();
  const visit = (role: RoleInstance) => {
    const path = realpathSync(role.path);
    if (reached.has(path)) return;
    reached.add(path);
    role.dependencies.forEach(visit);
  };
  for (const play of playbooks.flatMap((playbook) => playbook.plays)) play.roleInstances.forEach(visit);
  return reached;
}

/**
 * Roles no loaded playbook reaches (a role checked alone, a role not used yet) are loaded as
 * the only role of a play, so their task files get the loader's and the argument checks
 * too; problems of that stand-in play itself are not the project's and are dropped.
 */
export function loadUnreachedRoles(files: string[], playbooks: Playbook[], extraVars: PyDict, problems: Problems): Playbook[] {
  const reached = reachedRoles(playbooks);
  const unreached = roleDirs(files).filter((dir) => !reached.has(realpathSync(dir)));
  if (unreached.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'fleet-validate-'));
  const loaded: Playbook[] = [];
  try {
    for (const role of unreached) {
      const file = join(dir, `${basename(role)}.yml`);
      writeFileSync(file, `- hosts: all\n  gather_facts: false\n  roles:\n    - ${JSON.stringify(basename(role))}\n`);
      try {
        loaded.push(loadPlaybook(file, { rolesPath: [dirname(role)], extraVars }));
      } catch (error) {
        problems.addErrorOutside(error, file);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return loaded;
}
