import type { Block, Node, Task } from '../playbook/model.js';

type Section = 'tasks' | 'rescue' | 'always';

/** Each block around `task`, innermost first, with the section the task's branch is in. */
function* enclosing(task: Task): Generator<[Block, Section]> {
  let node: Node = task;
  for (let block: Block | null = task.parent; block !== null; node = block, block = block.parent) {
    // What an include loaded is in no section of its parent: it stands where the include did, taken as the tasks.
    yield [block, block.rescue.includes(node) ? 'rescue' : block.always.includes(node) ? 'always' : 'tasks'];
  }
}

/**
 * PlayIterator.is_failed for a host that just failed `task`, which decides whether
 * any_errors_fatal fires: not while a block still handles the failure — the task's own block
 * going on to its rescue (from its tasks) or its always (from its tasks or rescue); further
 * out only a rescue does, since an outer block's state still reports its failed child while
 * an always waits (force_handlers' flush is such an always).
 */
export function failureStands(task: Task): boolean {
  let innermost = true;
  for (const [block, section] of enclosing(task)) {
    if (innermost) {
      if (section === 'tasks' && block.rescue.length > 0) return false;
      if (section !== 'always' && block.always.length > 0) return false;
      innermost = false;
    } else if (section !== 'tasks') {
      return true;
    } else if (block.rescue.length > 0) {
      return false;
    }
  }
  return true;
}

/**
 * PlayIterator.is_any_block_rescuing when `task` failed: some block holds it (at any depth) in
 * its tasks and has a rescue — the failure counts as rescued and ansible_failed_task is set
 * then, before any always nested in between runs.
 */
export function failureRescued(task: Task): boolean {
  for (const [block, section] of enclosing(task)) if (section === 'tasks' && block.rescue.length > 0) return true;
  return false;
}
