/**
 * An ANSIBLE_* variable set to the empty string is set for ansible-core 2.14 (_loop_entries
 * tests `is not None`), and each setting's type reads '' its own way: a boolean is false, a
 * list is one empty item, an integer falls back to its default, a setting with choices is
 * refused. `fleet apply` and ansible-playbook run the same playbooks on localhost over the
 * local connection (debug tasks only), or on sandbox host h56, and must agree.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible } from '../apply/support.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { ensureSandbox, sandboxHost } from '../support/sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-empty-vars-'));
let fleet: string;

const PLAYBOOKS: Record<string, string> = {
  'tags.yml': `- hosts: all
  gather_facts: false
  tasks:
    - debug: msg=untagged
    - debug: msg=tagged
      tags: [a]
    - debug: msg=always
      tags: [always]
`,
  'notify.yml': `- hosts: all
  gather_facts: false
  tasks:
    - debug: msg=notifies
      changed_when: true
      notify: no such handler
`,
  'h56.yml': `- hosts: h56
  gather_facts: false
  tasks:
    - command: "true"
      changed_when: false
`,
};

function run(command: string, args: string[], extraEnv: Record<string, string>, inventory = 'localhost,') {
  const env = { PATH: process.env.PATH, HOME: dir, ANSIBLE_NOCOLOR: '1', ...extraEnv };
  const local = inventory === 'localhost,' ? ['-c', 'local'] : [];
  return spawnSync(command, [...args, '-i', inventory, ...local], { cwd: dir, env, encoding: 'utf8' });
}

const both = (playbook: string, env: Record<string, string>) => ({
  ours: run(fleet, ['apply', playbook], env),
  theirs: run('/usr/bin/ansible-playbook', [playbook], env),
});

beforeAll(() => {
  fleet = join(fleetBinDir(), 'fleet');
  for (const [name, text] of Object.entries(PLAYBOOKS)) writeFileSync(join(dir, name), text);
});

describe.skipIf(!hasAnsible())('an empty ANSIBLE_* variable', () => {
  it.each([
    { name: 'ANSIBLE_RUN_TAGS (a list: only `always` tasks run)', playbook: 'tags.yml', env: { ANSIBLE_RUN_TAGS: '' }, shows: ['"msg": "always"'] },
    { name: 'ANSIBLE_SKIP_TAGS (a list: nothing is skipped)', playbook: 'tags.yml', env: { ANSIBLE_SKIP_TAGS: '' }, shows: ['"msg": "untagged"', '"msg": "always"'] },
    { name: 'ANSIBLE_FORKS and ANSIBLE_TIMEOUT (integers: the default)', playbook: 'tags.yml', env: { ANSIBLE_FORKS: '', ANSIBLE_TIMEOUT: '' }, shows: ['"msg": "tagged"'] },
    { name: 'ANSIBLE_ERROR_ON_MISSING_HANDLER (a boolean: false, so only a warning)', playbook: 'notify.yml', env: { ANSIBLE_ERROR_ON_MISSING_HANDLER: '' }, shows: ['changed: [localhost]'] },
    { name: 'ANSIBLE_JINJA2_NATIVE (a boolean: false, what fleet does, so no warning)', playbook: 'tags.yml', env: { ANSIBLE_JINJA2_NATIVE: '' }, shows: ['"msg": "tagged"'] },
  ])('$name', ({ playbook, env, shows }) => {
    const { ours, theirs } = both(playbook, env);
    expect(theirs.status, theirs.stderr).toBe(0);
    expect(ours.status, ours.stderr).toBe(0);
    for (const text of shows) expect(ours.stdout).toContain(text);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stderr).toBe(theirs.stderr);
  }, 60_000);

  it('ANSIBLE_GATHERING (choices: "" is none of them) stops both with the same error', () => {
    const { ours, theirs } = both('tags.yml', { ANSIBLE_GATHERING: '' });
    expect(theirs.status).toBe(5);
    expect(theirs.stderr).toContain('Invalid value "" for configuration option "setting: DEFAULT_GATHERING "');
    expect(ours.status).toBe(5);
    expect(ours.stderr).toBe(theirs.stderr);
  }, 60_000);

  it('ANSIBLE_HOST_KEY_CHECKING (a boolean: false) lets fleet reach a host whose key it does not know', () => {
    const dump = spawnSync('ansible-config', ['dump', '--only-changed'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, ANSIBLE_HOST_KEY_CHECKING: '' }, encoding: 'utf8' });
    expect(dump.stdout).toContain('HOST_KEY_CHECKING(env: ANSIBLE_HOST_KEY_CHECKING) = False');
    ensureSandbox();
    const host = sandboxHost('h56');
    const inventory = join(dir, 'h56.ini');
    writeFileSync(inventory, `h56 ansible_host=${host.address} ansible_port=${host.port} ansible_user=${host.user} ansible_ssh_private_key_file=${host.keyFile}\n`);
    // HOME is the test's directory: no known_hosts names h56.
    const checked = run(fleet, ['apply', 'h56.yml'], {}, inventory);
    expect(checked.status, checked.stdout).toBe(4);
    expect(checked.stdout).toContain('host key is not known');
    const unchecked = run(fleet, ['apply', 'h56.yml'], { ANSIBLE_HOST_KEY_CHECKING: '' }, inventory);
    expect(unchecked.status, unchecked.stdout + unchecked.stderr).toBe(0);
    expect(unchecked.stdout).toContain('ok: [h56]');
  }, 60_000);
});
