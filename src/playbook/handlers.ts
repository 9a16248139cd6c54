import type { Task } from './model.js';
import { asList } from './lists.js';

/**
 * The handlers a `notify` entry reaches, as the strategy resolves it
 * (plugins/strategy/__init__.py `_process_pending_results`): the first handler whose name
 * matches — as written or as `role : name` — and every handler whose `listen` includes it.
 * `nameOf` gives a handler's templated name (Ansible templates names with play vars).
 */
export function notifiedHandlers(handlers: Task[], notification: string, nameOf: (handler: Task) => string | null = (h) => h.name): Task[] {
  const byName = handlers.find((handler) => {
    const name = nameOf(handler);
    if (name === null) return false;
    return name === notification || (handler.role !== null && `${handler.role.name} : ${name}` === notification);
  });
  const listening = handlers.filter((handler) => asList(handler.keywords.get('listen')).map(String).includes(notification));
  return byName && !listening.includes(byName) ? [byName, ...listening] : listening;
}
