import { parseAddress } from '../../inventory/address.js';
import { pyStr, pyTypeName } from '../../template/python/index.js';
import { PyDict, PyUnsafe, type PyValue } from '../../template/values.js';
import type { ArgSpec } from '../argspec.js';
import type { ModuleDef, ModuleResult } from '../types.js';

/** Every argument but the host's name and groups is a variable for the host (plugins/action/add_host.py). */
const spec: ArgSpec = { options: {}, allowExtra: true };

const NAME_KEYS = ['name', 'hostname', 'host'];
const GROUP_KEYS = ['groupname', 'groups', 'group'];
// Not 'host' and 'group': add_host.py's special_args leaves them among the variables.
const NOT_VARIABLES = new Set(['name', 'hostname', 'groupname', 'groups']);

/** AnsibleActionFail: the message, and the empty traceback Ansible shows with it. */
function actionFail(msg: string): ModuleResult {
  return { failed: true, msg, exception: 'NoneType: None\n' };
}

function first(args: Map<string, PyValue>, keys: string[]): PyValue | undefined {
  for (const key of keys) if (args.has(key)) return args.get(key);
  return undefined;
}

function text(value: PyValue): string | undefined {
  if (typeof value === 'string') return value;
  return value instanceof PyUnsafe ? value.value : undefined;
}

/** A list as given, or `a,b` split at commas; each name stripped, repeats dropped. */
function groupList(value: PyValue | undefined): string[] | null {
  if (value === undefined || value === null || value === '' || value === false) return [];
  const given = text(value);
  const names = given !== undefined ? given.split(',') : Array.isArray(value) ? value.map(pyStr) : null;
  if (names === null) return null;
  const out: string[] = [];
  for (const name of names) if (!out.includes(name)) out.push(name.trim());
  return out;
}

/**
 * add_host. The action describes the host; the executor adds it to the run's inventory
 * (executor/dynamic_inventory.ts), as Ansible's strategy does with `add_host`, and that
 * decides `changed`. Runs once per task, not per host (BYPASS_HOST_LOOP).
 */
export const addHost: ModuleDef = {
  name: 'add_host',
  spec,
  supportsCheckMode: true,
  controllerOnly: true,
  bypassHostLoop: true,
  async run(given): Promise<ModuleResult> {
    const raw = given.get('_raw_params') ?? new PyDict();
    if (!(raw instanceof PyDict)) {
      return actionFail(`Invalid raw parameters passed, requires a dictonary/mapping got a  <class '${pyTypeName(raw)}'>`);
    }
    const args = new Map<string, PyValue>([...raw].map(([key, value]) => [String(key), value] as [string, PyValue]));
    for (const [key, value] of given) if (key !== '_raw_params') args.set(key, value);
    const newName = first(args, NAME_KEYS);
    if (newName === undefined || newName === null) return actionFail('name, host or hostname needs to be provided');
    const nameText = text(newName) ?? pyStr(newName);
    const address = parseAddress(nameText, false);
    const hostVars = new PyDict();
    for (const [key, value] of args) if (!NOT_VARIABLES.has(key)) hostVars.set(key, value);
    if (address?.port !== undefined) hostVars.set('ansible_ssh_port', address.port);
    const groups = groupList(first(args, GROUP_KEYS));
    if (groups === null) return actionFail('Groups must be specified as a list.');
    return { changed: false, add_host: new PyDict([['host_name', address?.host ?? nameText], ['groups', groups], ['host_vars', hostVars]] as [string, PyValue][]) };
  },
};
