/**
 * `fleet inventory` decrypts a vaulted inventory file with the vault password ansible.cfg names
 * (vault_password_file), as ansible-inventory does, and shows a `!vault` value as its
 * `__ansible_vault` ciphertext. fleet inventory read no vault password at all, so the vaulted
 * source was left out with "Attempting to decrypt but no vault secrets found".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasAnsible } from '../apply/support.js';
import { fleetBinDir } from '../support/fleet_cli.js';

// `vh ansible_connection=local`, encrypted with the password `pw`.
const VAULTED_HOSTS = `$ANSIBLE_VAULT;1.1;AES256
31306635373665646561376230356331656437303039633635626434303134343330386330636636
3538613235373233326435346366663436656630653737380a613334383166386663613538353739
35303736356638626665393136623063383263383139633136666634653434376337646231626339
3039623263363938660a373463393630333264653435623536313735373863333638653831303531
64333632623262343362303831613332393130356232626235326136663433626463
`;

// `secret: sekret`, the value encrypted with the password `pw`.
const WITH_VAULT_VALUE = `all:
  hosts:
    yh:
      ansible_connection: local
  vars:
    secret: !vault |
          $ANSIBLE_VAULT;1.1;AES256
          37326334616365333930633239323136353365363930396462623364613364363963333963323662
          6431336134386139636461363465636465343263363134650a343162616239613132333836353663
          35376530343465353534623764653465303134653365333663636131346634653130643237396266
          3664363763613265300a306430316263393831666337343734663961376131653165376236373138
          3265
`;

describe.skipIf(!hasAnsible())('fleet inventory and the vault', () => {
  it('decrypts a vaulted source with ansible.cfg vault_password_file, as ansible-inventory does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-inventory-vault-'));
    writeFileSync(join(dir, 'pass'), 'pw\n');
    writeFileSync(join(dir, 'hosts'), VAULTED_HOSTS);
    writeFileSync(join(dir, 'vars.yml'), WITH_VAULT_VALUE);
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nvault_password_file = pass\n');
    const args = ['-i', 'hosts', '-i', 'vars.yml', '--list'];
    const env = { PATH: process.env.PATH, HOME: dir, ANSIBLE_NOCOLOR: '1' };
    const run = (command: string, first: string[]) => {
      const done = spawnSync(command, [...first, ...args], { cwd: dir, encoding: 'utf8', env });
      return { status: done.status, stdout: done.stdout, stderr: done.stderr };
    };
    const theirs = run('ansible-inventory', []);
    expect(run(join(fleetBinDir(), 'fleet'), ['inventory'])).toEqual(theirs);
    expect(theirs.stderr).toBe('');
    expect(JSON.parse(theirs.stdout).ungrouped.hosts).toEqual(['vh', 'yh']);
  }, 30_000);
});
