import { describe, expect, it } from 'vitest';
import { conditionsOf, environmentOf, inherited, tagsOf, varsChain } from '../../src/playbook/inherit.js';
import type { Block } from '../../src/playbook/model.js';
import { allTasks, loadModel, plain, taskNamed } from './helpers.js';

const play = loadModel('blocks.yml').plays[0]!;
const tasks = allTasks(play.tasks);
const deepest = taskNamed(tasks, 'deepest');
const rescuer = taskNamed(tasks, 'rescuer');
const finalTask = taskNamed(tasks, 'finally');

describe('blocks', () => {
  it('nest block/rescue/always with parent and play links', () => {
    const inner = deepest.parent;
    const outer = inner.parent as Block;
    expect(inner.keywords.get('name')).toBe('inner block');
    expect(outer.keywords.get('name')).toBe('outer');
    expect(outer.parent).toBe(play.tasks);
    expect(play.tasks.parent).toBeNull();
    expect(inner.rescue).toEqual([rescuer]);
    expect(inner.always).toEqual([finalTask]);
    expect(rescuer.parent).toBe(inner);
    for (const block of [inner, outer, play.tasks]) expect(block.play).toBe(play);
  });
});

describe('inherited keywords', () => {
  it('take the nearest value up the chain', () => {
    expect(inherited(deepest, 'become')).toBe(true);
    expect(inherited(finalTask, 'become')).toBe(false);
    expect(inherited(deepest, 'become_user')).toBe('outer_user');
    expect(inherited(deepest, 'remote_user')).toBeUndefined();
  });
  it('do not pass on non-inheritable keywords', () => {
    expect(inherited(deepest, 'name')).toBe('deepest');
    expect(inherited(rescuer, 'register')).toBeUndefined();
  });
  it('AND every when from the outermost in', () => {
    expect(conditionsOf(deepest)).toEqual(['outer_ok', 'inner_ok', 'task_ok', 'also_ok']);
    expect(conditionsOf(finalTask)).toEqual(['outer_ok', 'inner_ok']);
  });
  it('union tags up to the play', () => {
    expect(tagsOf(deepest).sort()).toEqual(['deep', 'outer', 'play']);
    expect(tagsOf(rescuer).sort()).toEqual(['outer', 'play']);
  });
  it('list environments outermost first', () => {
    expect(environmentOf(deepest).map(plain)).toEqual([{ PLAY: '1' }, { OUTER: '1' }, { INNER: '1' }]);
  });
  it('layer block and task vars outermost first', () => {
    expect(varsChain(deepest).map(plain)).toEqual([{ depth: 1 }, { depth: 2 }, { depth: 3 }]);
    expect(varsChain(rescuer).map(plain)).toEqual([{ depth: 1 }, { depth: 2 }]);
  });
});
