import { tagsOf } from '../playbook/inherit.js';
import type { Task } from '../playbook/model.js';
import { shouldRunTags } from '../playbook/tags.js';
import { Templar } from '../template/index.js';
import { pyStr } from '../template/python/index.js';
import type { PyValue } from '../template/values.js';
import type { VariableScope } from '../vars/scope.js';

/**
 * Taggable.evaluate_tags with the task's inherited tags templated for the host. `scope` is
 * asked for only when the task has tags: most have none, and a host's scope is not free.
 */
export function taskSelected(task: Task, options: { tags: string[]; skipTags: string[] }, scope: () => VariableScope): boolean {
  const raw = tagsOf(task);
  const templated = raw.length > 0 ? new Templar({ vars: scope() }).template(raw) : [];
  const tags = new Set((Array.isArray(templated) ? templated : [templated]).flat().map((tag) => pyStr(tag as PyValue)));
  return shouldRunTags(tags, { tags: options.tags, skipTags: options.skipTags });
}
