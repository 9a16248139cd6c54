import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';
import { ansibleApply, applyHosts, applyInventory, fixtures, fleetApply, hasAnsible, sortedSections } from './support.js';

/**
 * Output parity: the same playbook (failures, ignore_errors, block/rescue/always, debug of
 * vars and Python values) printed by ansible-playbook and by fleet, compared by
 * sortedSections (support.ts).
 */
describe.skipIf(!hasAnsible())('output matches ansible-playbook', () => {
  let inventory: string;
  beforeAll(() => {
    inventory = applyInventory();
  });

  const cases = [
    ['failures, ignore_errors, block/rescue/always, debug', 'output.yml'],
    ['handlers, environment, until, run_once, tags, loop_control, with_items, assert, failed_when, check_mode', 'keywords.yml'],
    ['serial batches, become, delegate_to, max_fail_percentage', 'escalation.yml'],
    ['with_<lookup> given a mapping, include_tasks/include_role with loops, templated action names', 'loops.yml'],
  ] as const;

  it.each(cases)('prints the same banners, results, JSON and recap: %s', async (_what, name) => {
    const playbook = join(fixtures, name);
    const resetHosts = () => {
      for (const host of applyHosts()) rmSync(join(host.home, '.fleet-until'), { force: true });
    };
    resetHosts();
    const ansible = ansibleApply(inventory, playbook);
    resetHosts();
    const fleet = await fleetApply({ inventory: [inventory], playbook });
    expect(fleet.exitCode).toBe(ansible.exitCode);
    expect(sortedSections(fleet.output)).toEqual(sortedSections(ansible.output));
  }, 120_000);

  it('a register: that is no variable name fails its task and then ends the run with ERROR!', () => {
    const playbook = join(fixtures, 'register_invalid.yml');
    const ansible = ansibleApply(inventory, playbook);
    const fleet = spawnSync(join(fleetBinDir(), 'fleet'), ['apply', '-i', inventory, playbook], { encoding: 'utf8' });
    expect(fleet.status).toBe(ansible.exitCode);
    expect(fleet.stdout).toBe(ansible.output);
    expect(fleet.stderr).toContain("ERROR! Invalid variable name in 'register' specified: '200'");
  }, 60_000);

  it('at -vv names the playbook and counts its plays (blocks target)', () => {
    const playbook = join(fixtures, 'register_invalid.yml');
    const banner = (output: string) => output.split('\n').filter((line) => /^(PLAYBOOK: |\d+ plays in )/.test(line));
    const args = ['-vv', '-i', inventory, playbook];
    const ansible = spawnSync('ansible-playbook', args, { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
    const fleet = spawnSync(join(fleetBinDir(), 'fleet'), ['apply', ...args], { encoding: 'utf8' });
    expect(banner(fleet.stdout)).toEqual(banner(ansible.stdout));
    expect(banner(fleet.stdout)).toHaveLength(2);
  }, 60_000);
});
