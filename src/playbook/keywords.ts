/**
 * The keyword sets Ansible 2.14 accepts on each playbook object, with the type each one is
 * validated as (`FieldAttribute(isa=…)` in lib/ansible/playbook/{base,play,block,task,handler,
 * conditional,taggable,collectionsearch,loop_control,playbook_include}.py and role/include.py).
 */

/** How Ansible's `get_validated_value` converts a keyword (`isa`); `any` is `loop` (no isa). */
export type KeywordType = 'string' | 'int' | 'float' | 'bool' | 'percent' | 'list' | 'dict' | 'class' | 'any';

type KeywordTable = ReadonlyMap<string, KeywordType>;

function table(...parts: Record<string, KeywordType>[]): KeywordTable {
  return new Map(parts.flatMap((part) => Object.entries(part)));
}

/** lib/ansible/playbook/base.py `Base`. */
const BASE: Record<string, KeywordType> = {
  name: 'string',
  connection: 'string',
  port: 'int',
  remote_user: 'string',
  vars: 'dict',
  module_defaults: 'list',
  environment: 'list',
  no_log: 'bool',
  run_once: 'bool',
  ignore_errors: 'bool',
  ignore_unreachable: 'bool',
  check_mode: 'bool',
  diff: 'bool',
  any_errors_fatal: 'bool',
  throttle: 'int',
  timeout: 'int',
  debugger: 'string',
  become: 'bool',
  become_method: 'string',
  become_user: 'string',
  become_flags: 'string',
  become_exe: 'string',
};
const CONDITIONAL: Record<string, KeywordType> = { when: 'list' };
const TAGGABLE: Record<string, KeywordType> = { tags: 'list' };
const COLLECTION_SEARCH: Record<string, KeywordType> = { collections: 'list' };
const DELEGATABLE: Record<string, KeywordType> = { delegate_to: 'string', delegate_facts: 'bool' };

export const PLAY_KEYWORDS = table(BASE, TAGGABLE, COLLECTION_SEARCH, {
  hosts: 'list',
  gather_facts: 'bool',
  gather_subset: 'list',
  gather_timeout: 'int',
  fact_path: 'string',
  vars_files: 'list',
  vars_prompt: 'list',
  roles: 'list',
  handlers: 'list',
  pre_tasks: 'list',
  post_tasks: 'list',
  tasks: 'list',
  force_handlers: 'bool',
  max_fail_percentage: 'percent',
  serial: 'list',
  strategy: 'string',
  order: 'string',
});

export const BLOCK_KEYWORDS = table(BASE, CONDITIONAL, COLLECTION_SEARCH, TAGGABLE, DELEGATABLE, {
  block: 'list',
  rescue: 'list',
  always: 'list',
  notify: 'list',
});

export const TASK_KEYWORDS = table(BASE, CONDITIONAL, TAGGABLE, COLLECTION_SEARCH, DELEGATABLE, {
  args: 'dict',
  action: 'string',
  async: 'int',
  changed_when: 'list',
  delay: 'int',
  failed_when: 'list',
  loop: 'any',
  loop_control: 'class',
  notify: 'list',
  poll: 'int',
  register: 'string',
  retries: 'int',
  until: 'list',
});

export const HANDLER_KEYWORDS = table(Object.fromEntries(TASK_KEYWORDS), { listen: 'list' });

/** lib/ansible/playbook/role/include.py `RoleInclude`: every other key of a role entry is a role param. */
export const ROLE_KEYWORDS = table(BASE, CONDITIONAL, TAGGABLE, COLLECTION_SEARCH, DELEGATABLE, { role: 'string' });

/** lib/ansible/playbook/playbook_include.py `PlaybookInclude`. */
export const IMPORT_PLAYBOOK_KEYWORDS = table(BASE, CONDITIONAL, TAGGABLE, { import_playbook: 'string' });

/** lib/ansible/playbook/loop_control.py `LoopControl`. */
export const LOOP_CONTROL_KEYWORDS = table({
  loop_var: 'string',
  index_var: 'string',
  label: 'string',
  pause: 'float',
  extended: 'bool',
  extended_allitems: 'bool',
});

/** task_include.py `VALID_INCLUDE_KEYWORDS`: the only keywords `include_tasks`/`include_role` take. */
export const INCLUDE_KEYWORDS: ReadonlySet<string> = new Set([
  'action',
  'args',
  'collections',
  'debugger',
  'ignore_errors',
  'loop',
  'loop_control',
  'loop_with',
  'name',
  'no_log',
  'register',
  'run_once',
  'tags',
  'timeout',
  'vars',
  'when',
]);

/**
 * Keys of a task mapping that never name its action (ModuleArgsParser's `_task_attrs`:
 * Task and Handler attributes plus `local_action` and `static`).
 */
export const NON_ACTION_TASK_KEYS: ReadonlySet<string> = new Set([
  ...TASK_KEYWORDS.keys(),
  'listen',
  'async_val',
  'loop_with',
  'local_action',
  'static',
]);

/** Keywords whose values are lists that extend (not replace) the parent's (`extend=True`). */
export const EXTENDING_KEYWORDS: ReadonlySet<string> = new Set(['when', 'tags', 'environment', 'module_defaults']);

/** Keywords a task inherits from its blocks, role and play (`FieldAttribute`, not `NonInheritable`). */
export const INHERITABLE_KEYWORDS: ReadonlySet<string> = new Set([
  ...Object.keys(BASE).filter((k) => k !== 'name' && k !== 'vars'),
  ...Object.keys(CONDITIONAL),
  ...Object.keys(TAGGABLE),
  ...Object.keys(COLLECTION_SEARCH),
  ...Object.keys(DELEGATABLE),
  'notify',
]);

/** Lookup plugins shipped with ansible-core 2.14: `with_<name>` is a loop over one of these. */
export const BUILTIN_LOOKUPS: ReadonlySet<string> = new Set([
  'config', 'csvfile', 'dict', 'env', 'file', 'fileglob', 'first_found', 'indexed_items', 'ini',
  'inventory_hostnames', 'items', 'lines', 'list', 'nested', 'password', 'pipe', 'random_choice',
  'sequence', 'subelements', 'template', 'together', 'unvault', 'url', 'varnames', 'vars',
]);
