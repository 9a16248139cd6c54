import type { Task } from './model.js';
import { asList } from './lists.js';

/**
 * The handlers a `notify` entry reaches, as the strategy resolves it
 * (plugins/strategy/__init__.py `_process_pending_results`): by name — as written or as
 * `role : name` — the first match searching the handler blocks last-loaded first (a role
 * that include_role brought in beats the play's handler of the same name), and every handler
 * whose `listen` includes it. `nameOf` gives a handler's templated name (Ansible templates
 * names with play vars).
 */
export function notifiedHandlers(handlers: Task[], notification: string, nameOf: (handler: Task) => string | null = (h) => h.name): Task[] {
  const matches = (handler: Task): boolean => {
    const name = nameOf(handler);
    if (name === null) return false;
    return name === notification || (handler.role !== null && `${handler.role.name} : ${name}` === notification);
  };
  let byName: Task | undefined;
  for (const block of handlerBlocks(handlers).reverse()) {
    byName = block.find(matches);
    if (byName) break;
  }
  const listening = handlers.filter((handler) => asList(handler.keywords.get('listen')).map(String).includes(notification));
  return byName && !listening.includes(byName) ? [byName, ...listening] : listening;
}

/** The handlers grouped as the blocks they were loaded in (consecutive handlers sharing a parent). */
function handlerBlocks(handlers: Task[]): Task[][] {
  const blocks: Task[][] = [];
  for (const handler of handlers) {
    const last = blocks[blocks.length - 1];
    if (last && last[0]?.parent === handler.parent) last.push(handler);
    else blocks.push([handler]);
  }
  return blocks;
}
