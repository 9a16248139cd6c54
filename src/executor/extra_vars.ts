import { resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import { parseKv } from '../playbook/splitter.js';
import { PyDict } from '../template/values.js';
import { combineVars } from '../vars/combine.js';
import { loadYamlValue, parseYaml } from '../yaml/load.js';

/**
 * `-e` values as ansible-playbook reads them (utils/vars.py load_extra_vars): `@file`
 * loads a YAML/JSON file, text starting with `{` or `[` is YAML/JSON, anything else is
 * `key=value` pairs. Later `-e` values are combined over earlier ones (combine_vars).
 */
export function loadExtraVars(values: string[], cwd: string): PyDict {
  let out = new PyDict();
  for (const value of values) {
    let data;
    if (value.startsWith('@')) data = loadYamlValue(resolve(cwd, value.slice(1)));
    else if (/^\s*[[{]/.test(value)) data = parseYaml(value, '<extra vars>').documents[0] ?? null;
    else if (value.trim() === '') continue;
    else data = new PyDict(parseKv(value));
    if (!(data instanceof PyDict)) {
      throw new ValidationError(`Invalid extra vars data supplied. '${value}' could not be made into a dictionary`);
    }
    out = combineVars(out, data);
  }
  return out;
}
