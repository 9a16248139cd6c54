import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notifiedHandlers } from '../../src/playbook/handlers.js';
import { loadIncludedRole, loadIncludedTasks } from '../../src/playbook/imports.js';
import { conditionsOf, tagsOf, varsChain } from '../../src/playbook/inherit.js';
import type { Block, RoleInstance, Task } from '../../src/playbook/model.js';
import { PyDict } from '../../src/template/values.js';
import { allTasks, loadModel, modelDir, plain, taskNamed } from './helpers.js';

const play = loadModel('roles.yml').plays[0]!;
const roleBlocks = play.roles.block as Block[];
const roleOf = (index: number): RoleInstance => roleBlocks[index]!.role!;

describe('roles: section', () => {
  it('expands each entry into a block of its tasks, dependencies first', () => {
    expect(roleBlocks.map((block) => block.role?.name)).toEqual(['base', 'app', 'dup', 'dup', 'once', 'once', 'other_roles/direct']);
    const app = roleBlocks[1]!;
    expect(app.block.map((node) => (node.kind === 'block' ? `deps:${node.role?.name}` : node.name))).toEqual(['deps:base', 'deps:dup', 'app main']);
    for (const task of allTasks(app)) expect(task.role).toBe((task.parent as Block).role);
  });

  it('splits a role entry into keywords and role params', () => {
    const app = roleOf(1);
    expect(plain(app.params)).toEqual({ app_port: 8080 });
    expect([...app.keywords.keys()]).toEqual(['tags', 'when', 'become', 'vars']);
  });

  it('shares one instance for the same role with the same params (Ansible ROLE_CACHE)', () => {
    const base = roleOf(0);
    const depBase = (roleBlocks[1]!.block[0] as Block).role;
    expect(depBase).toBe(base);
    expect(roleOf(2)).toBe(roleOf(3));
    expect(roleOf(4)).toBe(roleOf(5));
    const depDup = (roleBlocks[1]!.block[1] as Block).role!;
    expect(depDup).not.toBe(roleOf(2));
    expect(plain(depDup.params)).toEqual({ dup_param: 1 });
    expect(depDup.parentRole).toBe(roleOf(1));
  });

  it('reads allow_duplicates from meta/main.yml', () => {
    expect(roleOf(2).allowDuplicates).toBe(true);
    expect(roleOf(4).allowDuplicates).toBe(false);
  });

  it('loads defaults and vars in every file form', () => {
    expect(plain(roleOf(0).defaults)).toEqual({ base_default: 1, shared: 'from defaults' });
    expect(plain(roleOf(0).vars)).toEqual({ base_var: 2 });
    // defaults/main/ is a directory: its files merge in name order
    expect(plain(roleOf(1).defaults)).toEqual({ app_port: 81, app_name: 'app' });
    // tasks/main without an extension
    expect(allTasks(roleBlocks[4]!).map((task) => task.name)).toEqual(['once main']);
  });

  it('finds a role given as a path, keeping the name as written', () => {
    expect(roleOf(6).path).toBe(join(modelDir, 'other_roles', 'direct'));
  });

  it('lists every instance of the play with dependencies', () => {
    const names = play.roleInstances.map((role) => role.name);
    expect(names).toContain('base');
    expect(names.filter((name) => name === 'dup')).toHaveLength(2);
    expect(play.roleInstances.filter((role) => role.name === 'base')).toHaveLength(2);
  });
});

describe('import_role and include_role', () => {
  const tasks = allTasks(play.tasks);

  it('import_role expands tasks_from under a block carrying the import keywords', () => {
    const extra = taskNamed(tasks, 'base extra');
    expect(extra.role?.name).toBe('base');
    expect(extra.role).not.toBe(roleOf(0));
    expect(extra.role?.allowDuplicates).toBe(true);
    expect(conditionsOf(extra)).toEqual(['extra_wanted']);
  });

  it('include_role stays a task and loads its role on demand', () => {
    const include = tasks.find((task) => task.action === 'include_role') as Task;
    expect(plain(include.args)).toEqual({ name: 'app' });
    const included = loadIncludedRole(include, new PyDict([['name', 'app']]));
    expect(allTasks(included.block).map((task) => `${task.role?.name} : ${task.name}`)).toEqual([
      'base : base main',
      'dup : dup main',
      'app : app main',
    ]);
    expect(included.handlers.map((handler) => handler.name)).toEqual(['restart base', 'more base', 'app handler']);
  });
});

describe('handlers', () => {
  it('answer to their name, role-qualified name and listen topics', () => {
    expect(play.handlers.map((handler) => handler.listen)).toEqual([
      ['restart base', 'base : restart base', 'base changed'],
      ['more base', 'base : more base'],
      ['app handler', 'app : app handler'],
      ['play handler', 'topic one', 'topic two'],
      ['restart base', 'base : restart base', 'base changed'],
      ['more base', 'base : more base'],
    ]);
    // handlers/main.yml imports handlers/more.yml: found in the role's handlers directory
    expect(play.handlers[1]!.at.file).toBe(join(modelDir, 'roles', 'base', 'handlers', 'more.yml'));
  });
});

describe('imports and includes', () => {
  const playbook = loadModel('imports.yml', { sub: 'subplay' });
  const [first, sub] = playbook.plays;
  const tasks = allTasks(first!.tasks);

  it('import_tasks resolves a templated name and nested relative imports', () => {
    expect(tasks.map((task) => task.name)).toEqual(['first task', 'second task', 'dynamic include', 'legacy included task']);
    const second = taskNamed(tasks, 'second task');
    expect(second.at.file).toBe(join(modelDir, 'tasks', 'second.yml'));
    expect(conditionsOf(second)).toEqual(['imported_ok']);
    expect(tagsOf(second)).toEqual(['imported']);
    expect(varsChain(second).map(plain)).toEqual([{ from_import: 1 }]);
  });

  it('include_tasks loads at run time without inheriting the include keywords, except vars and apply', () => {
    const include = taskNamed(tasks, 'dynamic include');
    expect(plain(include.args)).toEqual({ apply: { tags: 'applied' }, _raw_params: 'tasks/second.yml' });
    const block = loadIncludedTasks(include, 'tasks/second.yml');
    const [included] = allTasks(block);
    expect(included!.name).toBe('second task');
    expect(conditionsOf(included!)).toEqual([]);
    expect(tagsOf(included!)).toEqual(['applied']);
    expect(varsChain(included!).map(plain)).toEqual([{ include_var: 1 }]);
  });

  it('import_playbook applies its when, vars and tags to the imported plays', () => {
    expect(sub!.name).toBe('sub play');
    expect(sub!.includedConditional).toEqual(['sub_ok']);
    expect(plain(sub!.vars)).toEqual({ sub_var: 1 });
    expect(plain(sub!.keywords.get('tags'))).toEqual(['own', 'subtag']);
    expect(conditionsOf(allTasks(sub!.tasks)[0]!)).toEqual(['sub_ok', 'sub_task_ok']);
    expect(sub!.file).toBe(join(modelDir, 'subplay.yml'));
  });
});

describe('notify', () => {
  const names = (notification: string): (string | null)[] => notifiedHandlers(play.handlers, notification).map((h) => h.name);

  it('reaches the last-loaded handler of that name, by plain or role-qualified name', () => {
    expect(names('restart base')).toEqual(['restart base']);
    // base's handlers come twice: with `roles:` and again with the later import_role (ansible-playbook runs the later copy).
    const copies = play.handlers.filter((h) => h.name === 'restart base');
    expect(copies).toHaveLength(2);
    expect(notifiedHandlers(play.handlers, 'restart base')[0]).toBe(copies[1]);
    expect(names('app : app handler')).toEqual(['app handler']);
  });
  it('reaches every handler listening to the topic', () => {
    expect(names('base changed')).toEqual(['restart base', 'restart base']);
    expect(names('topic two')).toEqual(['play handler']);
    expect(names('nobody')).toEqual([]);
  });
});

describe('include_role at run time', () => {
  it('gives the same handler tasks each time the same role instance is included', () => {
    const include = allTasks(play.tasks).find((task) => task.action === 'include_role') as Task;
    const once = loadIncludedRole(include, new PyDict([['name', 'app']]));
    const again = loadIncludedRole(include, new PyDict([['name', 'app']]));
    expect(again.role).toBe(once.role);
    expect(again.handlers).toBe(once.handlers);
    expect(again.block).not.toBe(once.block);
  });
});
