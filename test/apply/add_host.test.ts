import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleApply, applyInventory, fixtures, successfulOutput, hasAnsible, recap, sortedSections } from './support.js';

const playbook = join(fixtures, 'add_host', 'playbook.yml');

/**
 * add_host changes the run's inventory once per task (on the play's first host): later tasks
 * and plays see the new hosts, their variables and groups. The expected lines are what
 * ansible-playbook 2.14 printed for the same playbook and inventory.
 */
describe('add_host', () => {
  let output = '';
  beforeAll(async () => {
    output = await successfulOutput(playbook);
  });

  it('runs once, on the first host, which alone registers the result', () => {
    expect(output).toMatch(/TASK \[new hosts in new groups, changed_when per item\] \*+\nok: \[h1\] => \(item=1\)\nchanged: \[h1\] => \(item=2\)\n\n/);
    expect(output.match(/"msg": false/g)?.length).toBe(3);
    expect(output.match(/"msg": true/g)?.length).toBe(1);
  });

  it('is changed by a new host, group, membership or variable value, and maps a port to ansible_ssh_port', () => {
    expect(output).toMatch(/TASK \[the same variables again change nothing\] \*+\nok: \[h1\]\n/);
    expect(output).toContain(
      `"msg": "False {'changed': True, 'add_host': {'host_name': 'extra_1', 'groups': [], 'host_vars': {'other': '1', 'ansible_ssh_port': 2200}}, 'failed': False} True {'all': ['h1', 'h2', 'h3', 'h4', 'extra_1', 'extra_2'], 'ungrouped': ['h1', 'h2', 'h4'], 'added': ['extra_1', 'extra_2', 'h3'], 'other': ['extra_1', 'extra_2']} h1 2200 ['added']"`,
    );
  });

  it("fails without a name, with the action's message", () => {
    expect(output).toContain(
      'An exception occurred during task execution. To see the full traceback, use -vvv. The error was: NoneType: None\nfatal: [h1]: FAILED! => {"changed": false, "msg": "name, host or hostname needs to be provided"}\n...ignoring\n',
    );
  });

  it('later plays select the added hosts and groups', () => {
    expect(output).toContain(`"msg": "extra_1 ['added', 'other'] h1"`);
    expect(output).toContain(`"msg": "h3 ['added'] -"`);
    expect(Object.fromEntries([...recap(output)].map(([host, counters]) => [host, [counters.ok, counters.changed, counters.skipped, counters.ignored]]))).toEqual({
      extra_1: [1, 0, 0, 0],
      extra_2: [1, 0, 0, 0],
      h1: [9, 4, 0, 1],
      h2: [1, 0, 2, 0],
      h3: [2, 0, 2, 0],
      h4: [1, 0, 2, 0],
    });
  });

  it.skipIf(!hasAnsible())('prints what ansible-playbook prints', () => {
    const ansible = ansibleApply(applyInventory(), playbook);
    expect(ansible.exitCode).toBe(0);
    expect(sortedSections(output)).toEqual(sortedSections(ansible.output));
  }, 120_000);
});
