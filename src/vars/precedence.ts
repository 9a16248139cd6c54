/**
 * Ansible's variable precedence, lowest first — the one place fleet defines it.
 * https://docs.ansible.com/ansible/2.14/playbook_guide/playbooks_variables.html#understanding-variable-precedence
 * and VariableManager.get_vars (lib/ansible/vars/manager.py): with the default
 * hash_behaviour=replace, a name takes its whole value from the highest layer that has it.
 */
export const PRECEDENCE = [
  /**
   * PlayContext.update_vars: the connection a task runs with (`ansible_connection`,
   * `ansible_host`), visible to its templates under names nothing else sets.
   */
  'play_context',
  'role_defaults',
  /**
   * Everything the inventory gives a host, already in Ansible's order by
   * hostVarsFromInventory (src/inventory/variables.ts): inventory group vars (all, then
   * groups by depth/priority/name), group_vars/all next to the inventory then the playbook,
   * group_vars/<group> likewise, the host's inventory vars, host_vars/<host> likewise.
   */
  'inventory',
  /** Gathered facts (and `set_fact` with cacheable: true). */
  'facts',
  'play_vars',
  'play_vars_files',
  'role_vars',
  'block_vars',
  'task_vars',
  'include_vars',
  /** `set_fact` and `register`. */
  'set_facts',
  'role_params',
  'include_params',
  'extra_vars',
  /** inventory_hostname, groups, hostvars…: VariableManager adds them after extra vars. */
  'magic',
  /** Loop variables (`item`, `ansible_loop`…), set by the task executor on top of everything. */
  'loop',
] as const;

export type LayerName = (typeof PRECEDENCE)[number];

export const LAYER_RANK: Record<LayerName, number> = Object.fromEntries(
  PRECEDENCE.map((name, index) => [name, index]),
) as Record<LayerName, number>;
