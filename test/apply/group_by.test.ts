import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleApply, applyInventory, fixtures, successfulOutput, hasAnsible, recap, sortedSections } from './support.js';

const playbook = join(fixtures, 'group_by', 'playbook.yml');
// Wrapped at 79 columns, as Display.warning wraps it.
const WARNING = '[WARNING]: Invalid characters were found in group names but not replaced, use\n-vvvv to see details\n';

/**
 * group_by changes the run's inventory: later tasks see the group in `groups`, `group_names`,
 * hostvars and its group_vars, later plays select it by pattern. The expected lines are what
 * ansible-playbook 2.14 printed for the same playbook and inventory.
 */
describe('group_by', () => {
  let output = '';
  beforeAll(async () => {
    output = await successfulOutput(playbook);
  });

  it('is changed when the host joins a group, ok when it is already in it', () => {
    expect(output).toContain(
      `"msg": "{'changed': True, 'add_group': 'parity_odd', 'parent_groups': ['all'], 'failed': False} {'changed': False, 'add_group': 'parity_odd', 'parent_groups': ['all'], 'failed': False}"`,
    );
  });

  it('group_names, groups, hostvars and group_vars follow at once', () => {
    expect(output.match(/"msg": "\['parity_odd'\] \['h1', 'h3'\] odd \['parity_even'\]"/g)?.length).toBe(2);
    expect(output.match(/"msg": "\['parity_even'\] \['h1', 'h3'\] all \['parity_even'\]"/g)?.length).toBe(2);
  });

  it('turns spaces into dashes, makes missing parents, and leaves `ungrouped` empty', () => {
    expect(output).toContain(
      `"msg": "picked-one ['parity_even', 'new-parent'] ['new-parent', 'parity_even', 'parity_odd', 'picked-one'] ['all', 'new-parent', 'parity_even', 'parity_odd', 'picked-one', 'ungrouped'] ['h1', 'h2', 'h3', 'h4'] [] ['h1', 'h2', 'h4'] ['h1'] ['h1']"`,
    );
    expect(output.split(WARNING).length - 1).toBe(1);
  });

  it('fails without key, and changed_when overrides each loop item', () => {
    expect(output).toContain(`fatal: [h4]: FAILED! => {"changed": false, "msg": "the 'key' param is required when using group_by"}`);
    expect(output).toContain('ok: [h2] => (item=1)\n');
    expect(output).toContain('changed: [h2] => (item=2)\n');
    expect(output).toContain('"msg": "True [False, True]"');
  });

  it('later plays select the new groups by pattern', () => {
    expect(output).toMatch(/PLAY \[odd hosts only\] \*+\n\nTASK \[debug\] \*+\nok: \[h1\] => \{\n {4}"msg": "h1 odd"\n\}\nok: \[h3\] => \{\n {4}"msg": "h3 odd"\n\}/);
    expect(output).toContain(`"msg": "h1 ['h1']"`);
    expect(output).toMatch(/PLAY \[nobody is ungrouped any more\] \*+\nskipping: no hosts matched/);
    expect(Object.fromEntries([...recap(output)].map(([host, counters]) => [host, [counters.ok, counters.changed, counters.skipped, counters.ignored]]))).toEqual({
      h1: [8, 2, 3, 0],
      h2: [7, 2, 2, 0],
      h3: [6, 1, 4, 0],
      h4: [6, 1, 3, 1],
      localhost: [3, 1, 0, 0],
    });
  });

  it('puts the implicit localhost in a group, which `all` still does not list', () => {
    expect(output).toContain(`"msg": "['on_localhost'] ['h1', 'h2', 'h3', 'h4'] ['localhost']"`);
    expect(output).toContain('"msg": "in on_localhost: localhost"');
  });

  it.skipIf(!hasAnsible())('prints what ansible-playbook prints', () => {
    const ansible = ansibleApply(applyInventory(), playbook);
    expect(ansible.exitCode).toBe(0);
    // ansible-playbook's warnings go to stderr, which ansibleApply does not keep.
    expect(sortedSections(output.replace(WARNING, ''))).toEqual(sortedSections(ansible.output));
  }, 120_000);
});
