import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UNCONVERTED_TYPES } from '../modules/argspec_types.js';
import { pyStr } from '../template/python/index.js';
import { pyTruthy } from '../template/python/truthy.js';
import { PyDict, type PyValue } from '../template/values.js';
import { loadYamlValue } from '../yaml/load.js';
import { roleSectionFiles } from './files.js';
import type { RoleInstance } from './model.js';
import { fileStart, nodeWhere, pythonTypeName, reject, valueWhere, type Where } from './problems.js';

/** Role argument specs (role/__init__.py `_get_role_argspecs`, `_prepend_validation_task`). */

/** meta/main.yml's `argument_specs`, where it was written. */
export interface MetaArgumentSpecs {
  value: PyValue | undefined;
  where: Where;
}

const truthy = (value: PyValue | undefined): boolean => value !== undefined && pyTruthy(value);

/** Ansible reads the specs with `.get()`: what is not a mapping fails there with an unexpected exception. */
function mapping(value: PyValue, what: string, where: Where): PyDict {
  if (value instanceof PyDict) return value;
  const type = pythonTypeName(value).replace(/^<class '(.*)'>$/, '$1').split('.').pop() ?? '';
  return reject(`${what} must be a mapping, got ${pythonTypeName(value)} (ansible-playbook stops with "Unexpected Exception, this is probably a bug: '${type}' object has no attribute 'get'")`, where);
}

/**
 * The entry points' specs: meta/argument_specs.{yml,yaml,json} when there is one (its
 * `argument_specs` key; another meta/main.yml's is then not read), else meta/main.yml's.
 */
function roleArgumentSpecs(role: RoleInstance, meta: MetaArgumentSpecs, where: Where): { specs: PyValue; where: Where } {
  const base = join(role.path, 'meta', 'argument_specs');
  if (['.yml', '.yaml', '.json'].some((ext) => existsSync(base + ext))) {
    const [file] = roleSectionFiles(role.path, 'meta', 'argument_specs', false, where);
    const data = file === undefined ? null : loadYamlValue(file);
    const fileWhere = file === undefined ? where : fileStart(file);
    // `argument_specs.get('argument_specs') or {}`, and {} when the file holds no mapping
    if (!(data instanceof PyDict)) return { specs: new PyDict(), where: fileWhere };
    const specs = data.get('argument_specs');
    return { specs: truthy(specs) ? (specs as PyValue) : new PyDict(), where: valueWhere(data, 'argument_specs', nodeWhere(data, fileWhere)) };
  }
  return { specs: meta.value ?? new PyDict(), where: meta.where };
}

/** Refuses a type fleet does not convert (bytes, bits, json, jsonarg), in options at any depth. */
function checkTypes(options: PyValue | undefined, where: Where): void {
  if (!(options instanceof PyDict)) return;
  for (const [name, option] of options) {
    if (!(option instanceof PyDict)) continue;
    for (const key of ['type', 'elements']) {
      const type = option.get(key);
      if (typeof type === 'string' && UNCONVERTED_TYPES.has(type)) {
        reject(`argument spec type '${type}' (option '${pyStr(name)}') is not supported by fleet`, valueWhere(option, key, nodeWhere(option, where)));
      }
    }
    checkTypes(option.get('options'), where);
  }
}

/**
 * The validation task Ansible puts first in a role's tasks when its entry point (`main`, or
 * the `tasks_from` name) has a spec; null when it has none.
 */
export function validationTaskData(role: RoleInstance, meta: MetaArgumentSpecs, where: Where): PyDict | null {
  const found = roleArgumentSpecs(role, meta, where);
  if (!truthy(found.specs)) return null;
  const entryPoint = role.fromFiles?.tasks ?? 'main';
  const specs = mapping(found.specs, `the argument_specs of role '${role.name}'`, found.where);
  const spec = specs.get(entryPoint);
  if (!truthy(spec)) return null;
  const entryWhere = valueWhere(specs, entryPoint, found.where);
  const entry = mapping(spec as PyValue, `the argument spec '${entryPoint}' of role '${role.name}'`, entryWhere);
  checkTypes(entry.get('options'), entryWhere);
  const shortDescription = entry.get('short_description');
  const name = `Validating arguments against arg spec '${entryPoint}'${shortDescription === undefined ? '' : ` - ${pyStr(shortDescription)}`}`;
  const context = new PyDict([
    ['type', 'role'],
    ['name', role.name],
    ['argument_spec_name', entryPoint],
    ['path', role.path],
  ]);
  const action = new PyDict([
    ['module', 'ansible.builtin.validate_argument_spec'],
    ['argument_spec', entry.has('options') ? (entry.get('options') as PyValue) : new PyDict()],
    ['provided_arguments', role.params],
    ['validate_args_context', context],
  ]);
  return new PyDict([
    ['action', action],
    ['name', name],
    ['tags', ['always']],
  ]);
}
