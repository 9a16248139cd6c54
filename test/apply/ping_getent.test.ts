import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleApply, applyInventory, fixtures, successfulOutput, hasAnsible, sortedSections } from './support.js';

const playbook = join(fixtures, 'ping_getent.yml');
const CRASH_BANNER = /^TASK \[ping crashes on demand\]/;

/** Output sections without the crash's: Ansible's shows its Python traceback, fleet's the shell's message. */
function withoutCrash(output: string): string[][] {
  return sortedSections(output).filter(([banner]) => !CRASH_BANNER.test(banner as string));
}

/**
 * ping and getent over SSH on the apply hosts; the expected lines are what ansible-playbook
 * 2.14 printed for the same playbook and inventory.
 */
describe('ping and getent over SSH', () => {
  let output = '';
  beforeAll(async () => {
    output = await successfulOutput(playbook);
  }, 300_000);

  it('ping echoes data; getent sets getent_passwd, under its own name and in ansible_facts', () => {
    expect(output.match(/"msg": "pong testing \['x', '0', '0', 'root', '\/root', '\/bin\/bash'\] x False True False Linux"/g)?.length).toBe(4);
    expect(output.match(/"msg": "\{'nosuchuser_fleet': None\} One or more supplied key could not be found in the database."/g)?.length).toBe(4);
  });

  it('data=crash fails, unchanged, with rc 1 and "Exception: boom" in its output, and is ignored', () => {
    expect(output.match(/"msg": "True False 1 True"/g)?.length).toBe(4);
    expect(output.match(/"msg": "MODULE FAILURE\\nSee stdout\/stderr for the exact error", "rc": 1\}\n\.\.\.ignoring\n/g)?.length).toBe(4);
  });

  it.skipIf(!hasAnsible())('prints what ansible-playbook prints', () => {
    const ansible = ansibleApply(applyInventory(), playbook);
    expect(ansible.exitCode).toBe(0);
    expect(withoutCrash(output)).toEqual(withoutCrash(ansible.output));
  }, 300_000);
});
