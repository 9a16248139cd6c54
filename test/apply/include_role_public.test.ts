/**
 * include_role's `public`, printed by ansible-playbook and by fleet (the CLI): a public include
 * puts the role's defaults and vars in every later task of the play, on every host, including
 * a host that skipped the include; a private include does not, nor does the next play. Both
 * hosts use the local connection: only debug tasks run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';
import { fixtures, hasAnsible, recap, sortedSections } from './support.js';

const project = join(fixtures, 'include_role_public');
let fleetBin: string;

function run(tool: 'ansible' | 'fleet'): { status: number | null; stdout: string } {
  const [command, first] = tool === 'ansible' ? ['ansible-playbook', []] : [join(fleetBin, 'fleet'), ['apply']];
  const done = spawnSync(command, [...first, '-i', 'inventory.ini', 'site.yml'], { cwd: project, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
  return { status: done.status, stdout: done.stdout };
}

describe.skipIf(!hasAnsible())('include_role public, as ansible-playbook runs it', () => {
  beforeAll(() => {
    fleetBin = fleetBinDir();
  });

  it('makes the role variables the whole play’s once one host includes it', () => {
    const ansible = run('ansible');
    const fleet = run('fleet');
    expect(ansible.status).toBe(0);
    expect(fleet.status).toBe(ansible.status);
    expect(sortedSections(fleet.stdout)).toEqual(sortedSections(ansible.stdout));
    expect(recap(fleet.stdout)).toEqual(recap(ansible.stdout));
    // What the comparison rests on: b skipped the public include and still sees the role's variables.
    expect(ansible.stdout).toContain('ok: [b] => {\n    "msg": "after a public include on a from defaults / from vars [\'shared\']"');
    expect(ansible.stdout).toContain('"msg": "after a private include undefined / undefined"');
  }, 60_000);
});
