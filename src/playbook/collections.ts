import type { PyValue } from '../template/values.js';
import type { Block, RoleInstance, Task } from './model.js';

/** A `collections:` value as collection names (the keyword is static: never templated). */
function collectionNames(value: PyValue | undefined): string[] | null {
  return Array.isArray(value) ? value.map(String) : null;
}

/**
 * CollectionSearch: where a task's short module name is looked up before ansible.builtin —
 * the nearest `collections:` of the task and its blocks; a role's tasks stop at the role and
 * take its meta/main.yml `collections`, never the play's (measured under ansible-playbook).
 */
export function collectionSearchList(own: PyValue | undefined, parent: Block, role: RoleInstance | null): string[] {
  const fromTask = collectionNames(own);
  if (fromTask) return fromTask;
  for (let block: Block | null = parent; block !== null && block.role === role; block = block.parent) {
    const fromBlock = collectionNames(block.keywords.get('collections'));
    if (fromBlock) return fromBlock;
  }
  if (role) return role.collections ?? [];
  return collectionNames(parent.play.keywords.get('collections')) ?? [];
}

/** The collections an import_role/include_role task looks in for its role (role_include.py: the task's own search list). */
export function taskRoleCollections(task: Task): string[] {
  return withLegacyCollection(collectionSearchList(task.keywords.get('collections'), task.parent, task.role));
}

/** collectionsearch.py `_ensure_default_collection`: a list that names any collection also ends with ansible.legacy, unless it has ansible.builtin or ansible.legacy. */
export function withLegacyCollection(collections: readonly string[]): string[] {
  if (collections.length === 0 || collections.includes('ansible.builtin') || collections.includes('ansible.legacy')) return [...collections];
  return [...collections, 'ansible.legacy'];
}
