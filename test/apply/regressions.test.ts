import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyInventory, fixtures, fleetApply, recap } from './support.js';

/** Behaviours the conformance run found wrong (docs/CONFORMANCE.md), checked on the apply hosts. */
describe('regressions from the conformance run', () => {
  let output = '';
  beforeAll(async () => {
    output = (await fleetApply({ inventory: [applyInventory()], playbook: join(fixtures, 'regressions.yml') })).output;
  });

  it('set_fact takes names from loop items', () => {
    expect(output).toContain('"msg": "set set"');
  });

  it('registers a task that failed before its module ran', () => {
    expect(output.match(/"msg": true/g)?.length).toBe(4);
  });

  it('a module that rejects its arguments registers changed: false; a task whose arguments fail to template has no changed', () => {
    expect(output.match(/"msg": "changed keys: True False False"/g)?.length).toBe(4);
  });

  it("debug's _VALID_ARGS: another option fails with ActionBase's message and its NoneType exception line, as ansible-playbook prints it", () => {
    expect(output).toContain('An exception occurred during task execution. To see the full traceback, use -vvv. The error was: NoneType: None\nfatal: [h1]: FAILED! => {"msg": "Invalid options for debug: nosuch"}\n');
    expect(output.match(/"msg": "Invalid options for debug: nosuch \| NoneType: None\\n\| False"/g)?.length).toBe(4);
  });

  it("an include's vars are include params, above set_fact (Ansible's var_precedence target)", () => {
    expect(output.match(/"msg": "findme: include_params"/g)?.length).toBe(3);
  });

  it('a conditional written as a template warns, wrapped at 79 columns, once per host as each worker warns (as ansible-playbook printed it)', () => {
    const warning = "[WARNING]: conditional statements should not include jinja2 templating\ndelimiters such as {{ }} or {% %}. Found: {{ findme == 'set_fact' }}\n";
    expect(output.split(warning).length - 1).toBe(3);
    expect(output.match(/"msg": "templated when held"/g)?.length).toBe(3);
  });

  it("a failure in a block nested in a rescued block is rescued when it happens: an always between them already sees ansible_failed_task (Ansible's blocks target, 43191.yml)", () => {
    expect(output.match(/"msg": "inner always saw: EXPECTED FAILURE in an inner block"/g)?.length).toBe(3);
    expect(output.match(/"msg": "nested rescue saw: EXPECTED FAILURE in an inner block, Failed as requested from task"/g)?.length).toBe(3);
  });

  it("a loop over an undefined variable is skipped when its when: is false, as in Ansible's lookup_items", () => {
    expect(output).toMatch(/TASK \[a loop over an undefined variable is skipped by a false when\] \*+\nskipping: \[h1\]\nskipping: \[h2\]\nskipping: \[h3\]\nskipping: \[h4\]\n/);
    // This task, the empty loop and the when-skipped task below: three skips per host, as ansible-playbook counted.
    expect([...recap(output).values()].map((counters) => counters.skipped)).toEqual([3, 3, 3, 3]);
  });

  it('a rescue sees ansible_failed_task and ansible_failed_result', () => {
    expect(output.match(/"msg": "rescued fail here command 1"/g)?.length).toBe(4);
  });

  it("a with_ lookup's error is the task's message as the lookup raised it", () => {
    expect(output.match(/"msg": "lookup said: with_together requires at least one element in each list"/g)?.length).toBe(4);
  });

  it('registers set_fact and include_vars results unwrapped, other results as unsafe text', () => {
    expect(output.match(/"msg": "unsafe: False False True"/g)?.length).toBe(4);
  });

  it('a task sees ansible_connection (PlayContext.update_vars), hostvars do not', () => {
    expect(output.match(/"msg": "connection \['ssh'\] UNDEF"/g)?.length).toBe(4);
  });

  it('a set_fact that raised is registered with its message as unsafe text (it quotes a template)', () => {
    expect(output.match(/"msg": "set_fact failed: True"/g)?.length).toBe(4);
  });

  it('takes a float for an int keyword (until: with delay: 0.01), as ansible-playbook does', () => {
    expect(output).toMatch(/TASK \[an int keyword given a float is truncated[^\n]*\n(changed: \[h\d\]\n){4}/);
    expect([...recap(output).values()].map((counters) => counters.changed)).toEqual([3, 3, 2, 3]);
  });

  it('namespaces gathered facts in ansible_facts without their ansible_ prefix', () => {
    expect(output.match(/"msg": "namespaced True True"/g)?.length).toBe(3);
  });

  it('registers a loop with no items as skipped', () => {
    expect(output.match(/"msg": "empty loop skipped: True 0"/g)?.length).toBe(4);
  });

  it("refuses async on an action without async support, with ActionBase's message", () => {
    expect(output.match(/"msg": "script said: async is not supported for this task."/g)?.length).toBe(4);
  });

  it('registers a task skipped by when:', () => {
    expect(output.match(/"msg": "when skipped: True Conditional result was False"/g)?.length).toBe(4);
  });

  it('reads hostvars of another host', () => {
    expect(output.match(/"msg": "h1"/g)?.length).toBe(4);
  });

  it('meta end_host honours when:', () => {
    expect(output.match(/"msg": "still here"/g)?.length).toBe(3);
  });

  it('a missing include fails only its host and the others go on', () => {
    expect(output).toContain(`fatal: [h3]: FAILED! => {"reason": "Could not find or access '${join(fixtures, 'missing.yml')}' on the Ansible Controller."}`);
    expect(output.match(/"msg": "done"/g)?.length).toBe(2);
    const counters = recap(output);
    expect(counters.get('h3')?.failed).toBe(1);
    expect(counters.get('h1')?.failed).toBe(0);
  });

  it("first_found searches the role's tasks dir (the task file's dir is on the search path)", () => {
    expect(output.match(/"msg": "found fallback.yml"/g)?.length).toBe(3);
  });

  it('counts each include as an ok task, as ansible-playbook 2.14.18 did on this playbook (plus 4 since: the two argument-rejection pairs, whose ignored failures count as ok as the strategy counts them; plus 4 for the include-params play and 2 for the nested rescue, h3 having failed before them)', () => {
    const ok = [...recap(output)].map(([host, counters]) => [host, counters.ok]);
    expect(ok).toEqual([['h1', 45], ['h2', 45], ['h3', 25], ['h4', 41]]);
  });

  it('debug of the variable ansible_facts sets no facts (h3 failed in an earlier play)', () => {
    expect(output.match(/"msg": "debug set a fact: False"/g)?.length).toBe(3);
  });

  it('merges a vars file holding a list of dictionaries in order', () => {
    expect(output.match(/"msg": "vars list: one two from the second"/g)?.length).toBe(3);
  });

  it('runs the tasks a handler includes, as handlers', () => {
    expect(output).toContain('RUNNING HANDLER [handler_include : included by a handler]');
    expect(output.match(/"msg": "handler included h\d"/g)?.length).toBe(3);
  });
});
