import type { ResultData } from '../output/events.js';
import type { Task } from '../playbook/model.js';
import { PyDict, toPy } from '../template/values.js';
import { setVariable } from '../vars/combine.js';
import type { HostState } from './host_state.js';

/**
 * Where facts a module returned go (StrategyBase._process_pending_results): include_vars
 * into the include_vars layer, set_fact into set_facts (and facts when cacheable), every
 * other module's `ansible_facts` into the host's facts. debug's are not facts: `debug:
 * var=ansible_facts` returns the variable under that name (ansible/ansible#74060).
 */
export function applyReturnedFacts(task: Task, result: ResultData, hostsFor: (item: ResultData) => HostState[]): void {
  if (task.action === 'debug') return;
  const items = Array.isArray(result.results) ? (result.results as ResultData[]) : [result];
  for (const item of items) {
    if (item.ansible_facts === undefined || item.failed === true) continue;
    const facts = toPy(item.ansible_facts);
    if (!(facts instanceof PyDict)) continue;
    for (const host of hostsFor(item)) {
      if (task.action === 'include_vars') {
        for (const [key, value] of facts) setVariable(host.includeVars, key, value);
      } else if (task.action === 'set_fact') {
        for (const [key, value] of facts) host.setFacts.set(key, value);
        if (item._ansible_facts_cacheable === true) host.addFacts(facts);
      } else {
        host.addFacts(facts);
      }
    }
  }
}

/**
 * The facts a set_fact/include_vars loop item returned, for the items after it: Ansible's
 * TaskExecutor._execute ends by updating the loop's task vars with them, which is what makes
 * `set_fact: { x: "{{ x | default([]) + [item] }}" }` accumulate over a loop.
 */
export function carryItemFacts(task: Task, item: ResultData, carried: PyDict): void {
  if (task.action !== 'set_fact' && task.action !== 'include_vars') return;
  if (item.ansible_facts === undefined || item.failed === true) return;
  const facts = toPy(item.ansible_facts);
  if (facts instanceof PyDict) for (const [key, value] of facts) carried.set(key, value);
}
