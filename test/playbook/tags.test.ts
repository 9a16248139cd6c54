import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shouldRun, shouldRunTags } from '../../src/playbook/tags.js';
import { allTasks, loadModel, taskNamed } from './helpers.js';

// expected.json: Ansible's Taggable.evaluate_tags on each case (fixtures/tags/oracle.py).
interface Case {
  tags: string[];
  only: string[];
  skip: string[];
  run: boolean;
}
const cases = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'tags', 'expected.json'), 'utf8')) as Case[];

describe('tag selection as Ansible evaluates it', () => {
  it.each(cases.map((c) => [JSON.stringify(c.tags), JSON.stringify(c.only), JSON.stringify(c.skip), c] as const))(
    'tags %s --tags %s --skip-tags %s',
    (_, __, ___, c) => {
      expect(shouldRunTags(new Set(c.tags), { tags: c.only, skipTags: c.skip })).toBe(c.run);
    },
  );

  it('uses the tags a task inherits', () => {
    const play = loadModel('blocks.yml').plays[0]!;
    const tasks = allTasks(play.tasks);
    expect(shouldRun(taskNamed(tasks, 'deepest'), { tags: ['outer'] })).toBe(true);
    expect(shouldRun(taskNamed(tasks, 'deepest'), { tags: ['deep'] })).toBe(true);
    expect(shouldRun(taskNamed(tasks, 'rescuer'), { tags: ['deep'] })).toBe(false);
    expect(shouldRun(taskNamed(tasks, 'rescuer'), { skipTags: ['play'] })).toBe(false);
  });
});
