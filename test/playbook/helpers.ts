import { join } from 'node:path';
import { loadPlaybook } from '../../src/playbook/load.js';
import type { Block, Node, Playbook, Task } from '../../src/playbook/model.js';
import { fromPy, PyDict } from '../../src/template/values.js';
import { testActions } from './known_actions.js';

export const modelDir = join(import.meta.dirname, 'fixtures', 'model');

export function loadModel(name: string, extraVars: Record<string, string> = {}): Playbook {
  return loadPlaybook(join(modelDir, name), {
    rolesPath: [],
    extraVars: new PyDict(Object.entries(extraVars)),
    isKnownAction: testActions,
  });
}

/** Every task under some blocks, in order, including rescue and always. */
export function allTasks(...blocks: Block[]): Task[] {
  const walk = (nodes: Node[]): Task[] =>
    nodes.flatMap((node) => (node.kind === 'task' ? [node] : [...walk(node.block), ...walk(node.rescue), ...walk(node.always)]));
  return blocks.flatMap((block) => walk([block]));
}

export function taskNamed(tasks: Task[], name: string): Task {
  const task = tasks.find((t) => t.name === name);
  if (!task) throw new Error(`no task named ${name}`);
  return task;
}

/** A Python value as plain JSON-like data, for toEqual. */
export function plain(value: Parameters<typeof fromPy>[0] | undefined): unknown {
  return value === undefined ? undefined : fromPy(value);
}
