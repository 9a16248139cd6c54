import type { ResultData } from '../output/events.js';
import { inherited } from '../playbook/inherit.js';
import type { Task } from '../playbook/model.js';
import { pyEquals, pyStr } from '../template/python/index.js';
import { PyDict, type PyValue } from '../template/values.js';
import { loopKeyword } from './loop_items.js';

export function isDynamicInclude(action: string): boolean {
  return action === 'include_tasks' || action === 'include_role';
}

/** One include to load and run for some hosts (playbook/included_file.py's IncludedFile). */
export interface IncludedFile {
  /** include_tasks: the task file's path; include_role: its templated args (with `name`). */
  file: string | null;
  args: PyDict;
  /** The loop variables of the item that included it (its loop var, index var, label, ansible_loop). */
  vars: PyDict;
  hosts: string[];
}

/** A host's result for an include task (the include's own, or one per item). */
export interface IncludeResult {
  host: string;
  result: ResultData;
}

/**
 * IncludedFile.process_include_results: every item that was neither skipped nor failed names
 * an include; hosts share one when the file, args and loop variables are equal, in the order
 * the results came, and a host is in an include at most once (an equal later item starts a
 * new one). `locate` turns an include_tasks file name into its path.
 */
export function includedFiles(task: Task, results: IncludeResult[], locate: (file: string) => string): IncludedFile[] {
  const files: IncludedFile[] = [];
  for (const { host, result } of results) {
    const itemResults = loopKeyword(task) ? result.results : [result];
    if (!Array.isArray(itemResults)) continue;
    for (const item of itemResults as ResultData[]) {
      if (item.skipped === true || item.failed === true) continue;
      const wanted: IncludedFile = {
        file: task.action === 'include_tasks' ? locate(pyStr(item.include as PyValue)) : null,
        args: item.include_args instanceof PyDict ? item.include_args : new PyDict(),
        vars: specialVars(task, item),
        hosts: [],
      };
      const same = files.find((file) => sameInclude(file, wanted) && !file.hosts.includes(host));
      const target = same ?? wanted;
      if (!same) files.push(wanted);
      target.hosts.push(host);
    }
  }
  return files;
}

function sameInclude(a: IncludedFile, b: IncludedFile): boolean {
  return a.file === b.file && pyEquals(a.args, b.args) && pyEquals(a.vars, b.vars);
}

function specialVars(task: Task, item: ResultData): PyDict {
  const vars = new PyDict();
  const loopVar = typeof item.ansible_loop_var === 'string' ? item.ansible_loop_var : 'item';
  const indexVar = item.ansible_index_var;
  if (loopVar in item) vars.set(loopVar, item[loopVar] as PyValue);
  if (typeof indexVar === 'string' && indexVar in item) vars.set(indexVar, item[indexVar] as PyValue);
  for (const key of ['_ansible_item_label', 'ansible_loop']) if (key in item) vars.set(key, item[key] as PyValue);
  if (inherited(task, 'no_log') === true) vars.set('_ansible_no_log', true);
  return vars;
}

/** The default callback's `_get_item_label` for an include: its label, or its loop variable `item`. */
export function includeLabel(file: IncludedFile): string | undefined {
  if (file.vars.get('_ansible_no_log') === true) return '(censored due to no_log)';
  const label = file.vars.get('_ansible_item_label') ?? file.vars.get('item');
  return label === undefined ? undefined : pyStr(label);
}
