import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FleetError, fileNotFoundText } from '../errors.js';
import type { Task } from '../playbook/model.js';
import { Templar } from '../template/index.js';
import { pyStr, PyUndefinedError } from '../template/python/index.js';
import { PyDict, type PyValue } from '../template/values.js';
import { itemPositionOf, loadYamlValue } from '../yaml/load.js';
import type { PlayContext } from './context.js';
import type { HostState } from './host_state.js';
import { combineVars } from '../vars/combine.js';
import { hostScope } from './scope.js';

/** A play's `vars_files` for one host, and whether an entry was skipped for an undefined variable. */
export interface LoadedVarsFiles {
  vars: PyDict;
  complete: boolean;
}

/**
 * A play's `vars_files` for one host, as VariableManager.get_vars reads them for each task:
 * each entry is a file, or a list of candidates of which the first that exists is used, named
 * by templates over the host's variables. An entry whose name uses an undefined variable is
 * skipped (the classic `vars/{{ ansible_os_family }}.yml` before facts are gathered) and
 * read again for the next task, unless the host has gathered facts and there is a task: then
 * it is the run's error.
 */
export function loadVarsFiles(play: PlayContext, host: HostState, task: Task | null): LoadedVarsFiles {
  let vars = new PyDict();
  let complete = true;
  const entries = play.play.varsFiles;
  if (entries.length === 0) return { vars, complete };
  // VariableManager.get_vars templates them before it adds `vars`.
  const templar = new Templar({ vars: hostScope(play, host, task).without('all_vars') });
  const base = dirname(play.play.file);
  entries.forEach((entry, index) => {
    let found: string | undefined;
    try {
      found = firstExisting(entry, templar, base);
    } catch (error) {
      if (!(error instanceof PyUndefinedError)) throw error;
      if (task !== null && host.facts.get('module_setup') === true) {
        throw new FleetError(`an undefined variable was found when attempting to template the vars_files item '${pyStr(entry)}'`, {
          location: itemPositionOf(entries, index) ?? play.play.at,
        });
      }
      complete = false;
      return;
    }
    // VariableManager.get_vars names the entry as written (a list as its repr), with no position.
    if (!found) throw new FleetError(fileNotFoundText(`vars file ${pyStr(entry)} was not found`));
    const data = loadYamlValue(found);
    if (data === null) return;
    // preprocess_vars: a list of dictionaries is merged in order (even a playbook's plays).
    for (const layer of Array.isArray(data) ? data : [data]) {
      if (!(layer instanceof PyDict)) throw new FleetError(`vars file ${found} must contain a dictionary of variables, or a list of dictionaries`);
      vars = combineVars(vars, layer);
    }
  });
  return { vars, complete };
}

/** The first candidate that exists, each templated only when the ones before it are missing. */
function firstExisting(entry: PyValue, templar: Templar, base: string): string | undefined {
  for (const candidate of Array.isArray(entry) ? entry : [entry]) {
    const path = resolve(base, pyStr(templar.template(candidate)));
    if (existsSync(path)) return path;
  }
  return undefined;
}
