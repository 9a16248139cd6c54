import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyHosts, applyInventory, fixtures, fleetApply, hasAnsible } from './support.js';

/**
 * Output parity: the same playbook (failures, ignore_errors, block/rescue/always, debug of
 * vars and Python values) printed by ansible-playbook and by fleet. Hosts finish a task in
 * any order, and timings differ, so each banner's lines are compared as a sorted set with
 * the timestamps blanked.
 */
function normalise(output: string): string[][] {
  const sections: string[][] = [];
  for (const line of output.split('\n')) {
    const cleaned = line.replace(/"(start|end|delta)": "[^"]*"/g, '"$1": "…"');
    if (/^(PLAY|TASK|RUNNING HANDLER|PLAY RECAP) /.test(line) || sections.length === 0) sections.push([cleaned]);
    else (sections[sections.length - 1] as string[]).push(cleaned);
  }
  return sections.map(([banner, ...lines]) => [banner as string, ...lines.sort()]);
}

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
    let ansible = '';
    let ansibleStatus = 0;
    try {
      ansible = execFileSync('ansible-playbook', ['-i', inventory, playbook], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
    } catch (error) {
      const failed = error as { status: number; stdout: string };
      ansible = failed.stdout;
      ansibleStatus = failed.status;
    }
    resetHosts();
    const fleet = await fleetApply({ inventory: [inventory], playbook });
    expect(fleet.exitCode).toBe(ansibleStatus);
    expect(normalise(fleet.output)).toEqual(normalise(ansible));
  }, 120_000);
});
