import { PyError, pyIterable, pyTypeName } from '../../template/python/index.js';
import { PyUnsafe, type PyValue } from '../../template/values.js';
import type { ArgSpec } from '../argspec.js';
import type { ModuleDef, ModuleResult } from '../types.js';

// plugins/action/group_by.py: _VALID_ARGS key, parents
const spec: ArgSpec = {
  options: {
    key: { type: 'raw' },
    parents: { type: 'raw', default: ['all'] },
  },
  actionValidArgs: true,
};

/** `name.replace(' ', '-')`, which only a str survives. */
function groupName(value: PyValue): string {
  if (typeof value === 'string') return value.replaceAll(' ', '-');
  if (value instanceof PyUnsafe) return value.value.replaceAll(' ', '-');
  throw new PyError('AttributeError', `'${pyTypeName(value)}' object has no attribute 'replace'`);
}

/**
 * group_by. The action only names the group; the executor then puts the host in it
 * (executor/dynamic_inventory.ts), as Ansible's strategy does with `add_group`, and that
 * decides `changed`.
 */
export const groupBy: ModuleDef = {
  name: 'group_by',
  spec,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args): Promise<ModuleResult> {
    const key = args.get('key');
    if (key === undefined || key === null) return { failed: true, msg: "the 'key' param is required when using group_by" };
    const parents = args.get('parents') ?? null;
    try {
      const parentList = typeof parents === 'string' || parents instanceof PyUnsafe ? [parents] : pyIterable(parents);
      return { changed: false, add_group: groupName(key), parent_groups: parentList.map(groupName) };
    } catch (error) {
      // An exception in an action plugin is TaskExecutor's "Unexpected failure".
      if (!(error instanceof PyError)) throw error;
      return { failed: true, msg: `Unexpected failure during module execution: ${error.message}`, exception: `${error.pyName}: ${error.message}`, stdout: '' };
    }
  },
};
