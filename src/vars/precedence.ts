/**
 * Ansible's variable precedence, lowest first — the one place fleet defines it.
 * https://docs.ansible.com/ansible/2.14/playbook_guide/playbooks_variables.html#understanding-variable-precedence
 * and VariableManager.get_vars (lib/ansible/vars/manager.py): with the default
 * hash_behaviour=replace, a name takes its whole value from the highest layer that has it;
 * under merge, a dict is merged with the dicts below it (vars/scope.ts).
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
  /** groups, hostvars, playbook_dir…: VariableManager adds them after extra vars (inventory_hostname and group_names are the host's: 'inventory'). */
  'magic',
  /**
   * `vars` (VariableManager.get_vars' own result: every layer below but play_context, which
   * PlayContext adds later) and `ansible_search_path`, which TaskExecutor adds then.
   */
  'all_vars',
  /** Loop variables (`item`, `ansible_loop`…), set by the task executor on top of everything. */
  'loop',
] as const;

/**
 * Under hash_behaviour=merge, layers whose values Ansible joins with a plain update before
 * combining them with the rest (Task.get_vars and Block.get_vars use `|=`): only the highest
 * of them that has a name is merged with the layers below.
 */
export const JOINED_LAYERS: ReadonlySet<string> = new Set(['block_vars', 'task_vars']);

/** Layers whose values TaskExecutor assigns over the task's variables, never merged with them. */
export const ASSIGNED_LAYERS: ReadonlySet<string> = new Set(['loop']);

export type LayerName = (typeof PRECEDENCE)[number];

export const LAYER_RANK: Record<LayerName, number> = Object.fromEntries(
  PRECEDENCE.map((name, index) => [name, index]),
) as Record<LayerName, number>;
