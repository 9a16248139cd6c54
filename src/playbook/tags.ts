import type { Node } from './model.js';
import { tagsOf } from './inherit.js';

/** `--tags` / `--skip-tags` as given (empty tags means `all`). */
export interface TagSelection {
  tags?: readonly string[];
  skipTags?: readonly string[];
}

/**
 * Whether a task with these (templated) tags runs under a selection: taggable.py
 * `evaluate_tags` — `always` runs unless skipped by name, `never` only when asked for by
 * name, `tagged`/`untagged` select by having tags at all.
 */
export function shouldRunTags(taskTags: ReadonlySet<string>, selection: TagSelection): boolean {
  const only = new Set(selection.tags && selection.tags.length > 0 ? selection.tags : ['all']);
  const skip = new Set(selection.skipTags ?? []);
  const tags = taskTags.size > 0 ? taskTags : new Set(['untagged']);
  const untagged = taskTags.size === 0;
  const meets = (wanted: ReadonlySet<string>): boolean => [...tags].some((tag) => wanted.has(tag));

  let run: boolean;
  if (tags.has('always')) run = true;
  else if (only.has('all') && !tags.has('never')) run = true;
  else if (meets(only)) run = true;
  else run = only.has('tagged') && !untagged && !tags.has('never');

  if (run && skip.size > 0) {
    if (skip.has('all')) {
      if (!tags.has('always') || skip.has('always')) run = false;
    } else if (meets(skip)) run = false;
    else if (skip.has('tagged') && !untagged) run = false;
  }
  return run;
}

/** `shouldRunTags` with the task's tags as written (templated tags are compared as text). */
export function shouldRun(task: Node, selection: TagSelection): boolean {
  return shouldRunTags(new Set(tagsOf(task).map(String)), selection);
}
