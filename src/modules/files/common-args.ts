import type { ArgOption } from '../argspec.js';

/**
 * The options every file-handling module accepts (Ansible's FILE_COMMON_ARGUMENTS,
 * lib/ansible/module_utils/common/parameters.py). `mode` is `raw` so YAML `0644` (the int
 * 420), `'0644'` and `u+rw` keep their distinct meanings.
 */
export const FILE_COMMON_OPTIONS: Record<string, ArgOption> = {
  mode: { type: 'raw' },
  owner: { type: 'str' },
  group: { type: 'str' },
  seuser: { type: 'str' },
  serole: { type: 'str' },
  setype: { type: 'str' },
  selevel: { type: 'str' },
  unsafe_writes: { type: 'bool', default: false },
  attributes: { type: 'str', aliases: ['attr'] },
};
