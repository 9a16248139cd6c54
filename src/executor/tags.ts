import type { Block, Task } from '../playbook/model.js';
import { Templar } from '../template/index.js';
import { pyStr } from '../template/python/index.js';
import type { PyValue } from '../template/values.js';
import type { VariableScope } from '../vars/scope.js';

function tagList(value: PyValue | undefined): PyValue[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(',').map((tag) => tag.trim());
  if (Array.isArray(value)) return value;
  return [pyStr(value)];
}

/** A task's tags with everything it inherits (tags extend down the tree: play, role, blocks). */
function inheritedTags(task: Task): PyValue[] {
  const tags: PyValue[] = [...tagList(task.keywords.get('tags'))];
  for (let block: Block | null = task.parent; block; block = block.parent) {
    tags.push(...tagList(block.keywords.get('tags')));
    if (!block.parent && block.role) tags.push(...tagList(block.role.keywords.get('tags')));
  }
  tags.push(...tagList(task.parent.play.keywords.get('tags')));
  return tags;
}

/** Taggable.evaluate_tags (lib/ansible/playbook/taggable.py) for --tags/--skip-tags. */
export function taskSelected(task: Task, options: { tags: string[]; skipTags: string[] }, scope: VariableScope): boolean {
  const raw = inheritedTags(task);
  let tags: Set<string>;
  if (raw.length > 0) {
    const templated = new Templar({ vars: scope }).template(raw);
    tags = new Set((Array.isArray(templated) ? templated : [templated]).flat().map((tag) => pyStr(tag as PyValue)));
  } else {
    tags = new Set(['untagged']);
  }
  const untagged = tags.size === 1 && tags.has('untagged');
  const hits = (list: string[]) => list.some((tag) => tags.has(tag));
  let run = true;
  const only = options.tags;
  if (only.length > 0) {
    run =
      tags.has('always') ||
      (only.includes('all') && !tags.has('never')) ||
      hits(only) ||
      (only.includes('tagged') && !untagged && !tags.has('never'));
  }
  const skip = options.skipTags;
  if (run && skip.length > 0) {
    if (skip.includes('all')) {
      if (!tags.has('always') || skip.includes('always')) run = false;
    } else if (hits(skip)) run = false;
    else if (skip.includes('tagged') && !untagged) run = false;
  }
  return run;
}
