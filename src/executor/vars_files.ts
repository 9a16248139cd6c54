import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FleetError, fileNotFoundText } from '../errors.js';
import { Templar } from '../template/index.js';
import { pyStr } from '../template/python/index.js';
import { PyDict } from '../template/values.js';
import { loadYamlValue } from '../yaml/load.js';
import type { PlayContext } from './context.js';
import type { HostState } from './host_state.js';
import { combineVars } from '../vars/combine.js';
import { hostScope } from './scope.js';

/**
 * A play's `vars_files` for one host (templated with the host's vars): each entry is a
 * file, or a list of candidates of which the first that exists is used.
 */
export function loadVarsFiles(play: PlayContext, host: HostState): PyDict {
  let out = new PyDict();
  if (play.play.varsFiles.length === 0) return out;
  // VariableManager.get_vars templates them before it adds `vars`.
  const templar = new Templar({ vars: hostScope(play, host, null).without('all_vars') });
  const base = dirname(play.play.file);
  for (const entry of play.play.varsFiles) {
    const candidates = (Array.isArray(entry) ? entry : [entry]).map((candidate) => resolve(base, pyStr(templar.template(candidate))));
    const found = candidates.find((candidate) => existsSync(candidate));
    // VariableManager.get_vars names the entry as written (a list as its repr), with no position.
    if (!found) throw new FleetError(fileNotFoundText(`vars file ${pyStr(entry)} was not found`));
    const data = loadYamlValue(found);
    if (data === null) continue;
    // preprocess_vars: a list of dictionaries is merged in order (even a playbook's plays).
    for (const layer of Array.isArray(data) ? data : [data]) {
      if (!(layer instanceof PyDict)) throw new FleetError(`vars file ${found} must contain a dictionary of variables, or a list of dictionaries`);
      out = combineVars(out, layer);
    }
  }
  return out;
}
