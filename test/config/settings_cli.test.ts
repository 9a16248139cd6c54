/**
 * ansible.cfg and ANSIBLE_* variables as `fleet apply` and ansible-playbook 2.14 read them,
 * both run as programs on localhost over the local connection (a playbook of debug tasks, so
 * nothing on the machine changes): a setting fleet honours changes both runs alike, one it
 * does not support and a key no Ansible setting has are each named once in Display.warning's
 * wrapping, and settings without effect in fleet pass in silence.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { displayWarning } from '../support/display_warning.js';
import { fleetBinDir } from '../support/fleet_cli.js';

const CFG = `[defaults]
gathering = explicit
forks = 2
jinja2_native = True
interpreter_python = auto_silent
retry_files_enabled = False
forsk = 4

[ssh_connection]
pipelining = True
`;

const PLAYBOOK = `- hosts: all
  tasks:
    - debug:
        msg: "facts {{ 'gathered' if ansible_facts else 'not gathered' }}"
`;

let dir: string;
let fleet: string;

function run(command: string, args: string[], extraEnv: Record<string, string> = {}) {
  const env = { PATH: process.env.PATH, HOME: dir, ANSIBLE_NOCOLOR: '1', ANSIBLE_JINJA2_NATIVE: '1', ...extraEnv };
  return spawnSync(command, [...args, '-i', 'localhost,', '-c', 'local', 'play.yml'], { cwd: dir, env, encoding: 'utf8' });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-settings-cli-'));
  writeFileSync(join(dir, 'ansible.cfg'), CFG);
  writeFileSync(join(dir, 'play.yml'), PLAYBOOK);
  fleet = join(fleetBinDir(), 'fleet');
});

describe('fleet apply with an ansible.cfg of supported, unsupported and unknown keys', () => {
  it('runs as ansible-playbook runs and names what it ignores once, wrapped as Display.warning wraps', () => {
    const ours = run(fleet, ['apply']);
    const ansible = run('/usr/bin/ansible-playbook', []);
    expect(ansible.status, ansible.stderr).toBe(0);
    expect(ours.status, ours.stderr).toBe(0);
    // gathering = explicit is read by both: no fact gathering, the same output.
    expect(ours.stdout).toContain('"msg": "facts not gathered"');
    expect(ours.stdout).toBe(ansible.stdout);
    const cfg = join(dir, 'ansible.cfg');
    expect(ours.stderr).toBe(
      displayWarning(`fleet does not support these settings and ignores them: [defaults]jinja2_native in ${cfg}; ANSIBLE_JINJA2_NATIVE in the environment`) +
        displayWarning(`ansible-core 2.14 has no setting [defaults]forsk (in ${cfg}); fleet ignores them as ansible-playbook does`),
    );
    for (const line of ours.stderr.split('\n')) expect(line.length).toBeLessThanOrEqual(79);
    // ansible-playbook itself says nothing about any of these keys.
    expect(ansible.stderr).toBe('');
  });

  it('colours each line of a warning, as stringc does, when the output is coloured', () => {
    const plain = run(fleet, ['apply']).stderr;
    // ANSIBLE_FORCE_COLOR beats ANSIBLE_NOCOLOR, in Ansible's color.py as in fleet.
    const coloured = run(fleet, ['apply'], { ANSIBLE_FORCE_COLOR: '1' }).stderr;
    const lines = plain.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(coloured).toBe(`${lines.map((line) => `\x1b[1;35m${line}\x1b[0m`).join('\n')}\n`);
  });
});
