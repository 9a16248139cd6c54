import type { SourceLocation } from '../errors.js';
import type { PyDict, PyValue } from '../template/values.js';

/**
 * The playbook model the executor runs. It mirrors Ansible's Play → Block → Task tree
 * (lib/ansible/playbook/): every node keeps where it was written and a link to its parent,
 * so inherited keywords (become, tags, when, environment, vars…) are resolved by walking up,
 * as Ansible's `_get_parent_attribute` does. Values are raw (untemplated) PyValues; the
 * executor templates them per host at run time.
 */

/** Keywords as written on a play, block, task or role entry, minus the structural ones. */
export type Keywords = Map<string, PyValue>;

export interface RoleInstance {
  kind: 'role';
  name: string;
  /** Absolute path of the role directory. */
  path: string;
  at: SourceLocation;
  /** Params given where the role was listed (`- role: x\n  vars_or_params…`): role params layer. */
  params: PyDict;
  /** defaults/main and vars/main of the role, loaded. */
  defaults: PyDict;
  vars: PyDict;
  /** Keywords on the role entry (when, tags, become…), inherited by its tasks. */
  keywords: Keywords;
  /** Dependencies from meta/main.yml, already resolved, in run order. */
  dependencies: RoleInstance[];
  /** The role that depends on this one, when this one is a dependency. */
  parentRole: RoleInstance | null;
  /**
   * meta/main.yml `allow_duplicates` (import_role/include_role: their `allow_duplicates`
   * argument, default true). When false, an instance listed several times in a play (the same
   * object appears in several role blocks) runs once per host, as Ansible's `Role.has_run`.
   */
  allowDuplicates?: boolean;
  /** meta/main.yml `collections`: where the role's tasks look up short module names. */
  collections?: string[];
  /** `tasks_from`/`vars_from`/`defaults_from`/`handlers_from` this instance was loaded with. */
  fromFiles?: { tasks?: string; vars?: string; defaults?: string; handlers?: string };
  /** The validate_argument_spec task Ansible puts first in the role's tasks (its entry point has an argument spec). */
  validationTask?: PyDict;
}

export interface Task {
  kind: 'task';
  at: SourceLocation;
  /** `name:` as written (may hold a template). */
  name: string | null;
  /** Resolved short module or action name (`copy`, `include_tasks`, `meta`); FQCNs map to these. */
  action: string;
  /** The action as written (`ansible.builtin.copy`), for messages. */
  actionAs: string;
  /** Module arguments: the mapping form, or `k=v` text parsed; free-form text under `_raw_params`. */
  args: PyDict;
  /**
   * Keywords as written (raw), `name` included. `with_<lookup>: x` is stored as
   * `loop_with: <lookup>` plus `loop: x`, as task.py does; `local_action` adds
   * `delegate_to: localhost`.
   */
  keywords: Keywords;
  parent: Block;
  role: RoleInstance | null;
  /**
   * For handlers: the names it answers to (its name, `role : name` in a role, and every
   * `listen`). Ansible notifies only the first handler matching by name but every listener:
   * `notifiedHandlers` in handlers.ts applies that rule.
   */
  listen?: string[];
}

export interface Block {
  kind: 'block';
  at: SourceLocation;
  block: Node[];
  rescue: Node[];
  always: Node[];
  keywords: Keywords;
  /** The enclosing block, or null for a play section's implicit top block. */
  parent: Block | null;
  play: Play;
  role: RoleInstance | null;
  /**
   * On the block an import_role/include_role puts a role's tasks in, when that task is itself
   * in a role: that role (IncludeRole._parent_role), which ansible_parent_role_names lists.
   */
  includedFromRole?: RoleInstance;
  /**
   * On the block holding what an include (`include`, `include_tasks`, `include_role`) loads:
   * the include's `vars`, which are also include params (Task.get_include_params), above
   * include_vars and set_fact.
   */
  includeParams?: PyValue;
}

export type Node = Task | Block;

export interface Play {
  kind: 'play';
  at: SourceLocation;
  file: string;
  name: string | null;
  /** `hosts:` as written (a pattern string or list, may be templated). */
  hosts: PyValue;
  keywords: Keywords;
  vars: PyDict;
  /** `vars_files:` entries as written (templated per host at run time). */
  varsFiles: PyValue[];
  /** Sections in run order; roles are already expanded into blocks between pre_tasks and tasks. */
  preTasks: Block;
  roles: Block;
  tasks: Block;
  postTasks: Block;
  handlers: Task[];
  /** The roles of the play (with dependencies), for role vars/defaults. */
  roleInstances: RoleInstance[];
  /**
   * Play.roles: the roles `roles:` lists, then each role an `import_role` brought in, in load
   * order (ansible_play_role_names; their dependencies make ansible_dependent_role_names).
   */
  listedRoles: RoleInstance[];
  /**
   * The `when` of the `import_playbook` entries that brought this play in, outermost first.
   * They are already prepended to the `when` of the four task sections; Ansible also skips
   * fact gathering for hosts where they are false (`Play._included_conditional`).
   */
  includedConditional?: PyValue[];
}

export interface Playbook {
  file: string;
  /** Plays in order, `import_playbook` already expanded. */
  plays: Play[];
}
