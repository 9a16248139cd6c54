import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../src/playbook/load.js';
import { PyDict } from '../../src/template/values.js';
import { allTasks } from './helpers.js';

const dir = join(import.meta.dirname, 'fixtures', 'import_vars');
const roles = join(dir, 'roles');

function fleetTasks(name: string): string[] {
  const playbook = loadPlaybook(join(dir, name), { rolesPath: [roles], extraVars: new PyDict() });
  return playbook.plays.flatMap((play) => allTasks(play.preTasks, play.roles, play.tasks, play.postTasks)).map((task) => `${task.role?.name} : ${task.name}`);
}

/** The role task lines ansible-playbook --list-tasks prints. */
function ansibleTasks(name: string): string[] {
  const out = execFileSync('ansible-playbook', ['--list-tasks', name], { cwd: dir, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, ANSIBLE_ROLES_PATH: roles } });
  return out.split('\n').filter((line) => line.includes(' : ')).map((line) => line.trim().replace(/\tTAGS: \[\]$/, ''));
}

describe('import_playbook vars while the imported plays load', () => {
  it.each([
    ['main.yml', 'imported_role : from the imported role'],
    ['main_own.yml', "play_own_role : from the play's own choice"],
  ])('%s imports the role ansible-playbook imports', (name, expected) => {
    expect(fleetTasks(name)).toEqual([expected]);
    expect(ansibleTasks(name)).toEqual([expected]);
  });

  it("the import's vars still beat the play's own once loaded (entry.vars | new_obj.vars)", () => {
    const play = loadPlaybook(join(dir, 'main_own.yml'), { rolesPath: [roles], extraVars: new PyDict() }).plays[0];
    expect(play?.vars.get('role_to_import')).toBe('imported_role');
  });
});
