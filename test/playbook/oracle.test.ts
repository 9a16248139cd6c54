import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conditionsOf, environmentOf, inherited, tagsOf, varsChain } from '../../src/playbook/inherit.js';
import type { Task } from '../../src/playbook/model.js';
import { fromPy, PyDict } from '../../src/template/values.js';
import { allTasks, loadModel, modelDir, plain } from './helpers.js';

/**
 * Each model fixture compared with what Ansible itself loads from it (fixtures/model/oracle.py
 * writes <playbook>.expected.json): every task in run order with its name, role, action, args
 * and the keywords it inherits.
 */

interface ExpectedTask {
  name: string | null;
  role: string | null;
  action: string;
  args: unknown;
  when: unknown[];
  tags: string[];
  environment: unknown[];
  become: boolean | null;
  become_user: string | null;
  delegate_to: string | null;
  vars: Record<string, unknown>;
  listen?: unknown;
}

interface ExpectedPlay {
  name: string;
  tasks: ExpectedTask[];
  handlers: ExpectedTask[];
}

function describeTask(task: Task): Omit<ExpectedTask, 'listen'> {
  const merged = new PyDict();
  for (const layer of varsChain(task)) for (const [k, v] of layer) merged.set(k, v);
  return {
    name: task.name === null ? null : task.role ? `${task.role.name} : ${task.name}` : task.name,
    role: task.role?.name ?? null,
    action: task.actionAs,
    args: plain(task.args),
    when: conditionsOf(task).map(fromPy),
    tags: tagsOf(task).map(String).sort(),
    environment: environmentOf(task).map(fromPy),
    become: (inherited(task, 'become') as boolean | undefined) ?? null,
    become_user: (inherited(task, 'become_user') as string | undefined) ?? null,
    delegate_to: (inherited(task, 'delegate_to') as string | undefined) ?? null,
    vars: fromPy(merged) as Record<string, unknown>,
  };
}

/** Names in first-seen order: Ansible lists a shared role's handlers once per listing of the role. */
function uniqueNames(tasks: { name: string | null }[]): (string | null)[] {
  return [...new Set(tasks.map((task) => task.name))];
}

describe.each(['actions.yml', 'blocks.yml', 'roles.yml', 'imports.yml'])('%s as Ansible loads it', (file) => {
  const expected = JSON.parse(readFileSync(join(modelDir, file.replace('.yml', '.expected.json')), 'utf8')) as ExpectedPlay[];
  const playbook = loadModel(file, { sub: 'subplay' });

  it('has the same plays', () => {
    expect(playbook.plays.map((play) => play.name ?? String(play.hosts))).toEqual(expected.map((play) => play.name));
  });

  it.each(expected.map((play, index) => [play.name, index] as const))('play %s: tasks, args and inherited keywords', (_, index) => {
    const play = playbook.plays[index]!;
    const tasks = allTasks(play.preTasks, play.roles, play.tasks, play.postTasks).map(describeTask);
    expect(tasks).toEqual(expected[index]!.tasks.map(({ listen: _listen, ...task }) => task));
  });

  it.each(expected.map((play, index) => [play.name, index] as const))('play %s: handlers', (_, index) => {
    const play = playbook.plays[index]!;
    expect(uniqueNames(play.handlers.map(describeTask))).toEqual(uniqueNames(expected[index]!.handlers));
  });
});
