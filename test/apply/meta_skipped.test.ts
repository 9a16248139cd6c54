/**
 * `meta` tasks whose `when` is false, printed by ansible-playbook and by fleet (the CLI, so
 * stdout and stderr are each tool's own): StrategyBase._execute_meta sends a `skipping:` line
 * with a per-action skip_reason (shown at -v) and counts nothing in the recap; noop,
 * refresh_inventory and reset_connection ignore `when` with a warning. Runs on sandbox hosts
 * h43–h45 (engineer E's hosts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';
import { hasAnsible, recap, sortedSections } from './support.js';

const HOSTS = ['h43', 'h44', 'h45'];

const SKIPPED_METAS = `- hosts: all
  gather_facts: false
  tasks:
    - debug: msg=start
      changed_when: true
      notify: [end for no host, flush as handler, after]
    - meta: flush_handlers
    - meta: noop
      when: false
    - meta: role_complete
      when: false
    - meta: flush_handlers
      when: false
    - name: flush on h45 only
      meta: flush_handlers
      when: inventory_hostname == 'h45'
    - meta: refresh_inventory
      when: false
    - meta: reset_connection
      when: false
    - meta: clear_facts
      when: false
    - name: "clear facts unless {{ inventory_hostname }}"
      meta: clear_facts
      when: inventory_hostname != 'h43'
    - meta: clear_host_errors
      when: false
    - meta: end_play
      when: false
    - meta: end_batch
      when: false
    - name: end the play, as only the first host decides
      meta: end_play
      when: inventory_hostname == 'h45'
    - name: end h45 only
      meta: end_host
      when: inventory_hostname == 'h45'
      register: ended
    - when: false
      block:
        - meta: noop
        - name: end the play in a block
          meta: end_play
    - debug: msg="{{ ended | default('not registered') }}"
  handlers:
    - name: end for no host
      meta: end_host
      when: inventory_hostname == 'h99'
    - name: after
      debug: msg=handler
    - name: flush as handler
      meta: flush_handlers
      when: false
- hosts: all
  gather_facts: false
  serial: 2
  tasks:
    - meta: end_batch
      when: inventory_hostname == 'h45'
    - debug: msg=second
`;

/** ansible-playbook names its config file at -v; fleet does not (left alone here). */
const CONFIG_LINE = /^(No config file found; using defaults|Using .* as config file)$/;

let project: string;
let fleetBin: string;

function run(tool: 'ansible' | 'fleet', args: string[]): { status: number | null; stdout: string; stderr: string } {
  const [command, first] = tool === 'ansible' ? ['ansible-playbook', []] : [join(fleetBin, 'fleet'), ['apply']];
  const done = spawnSync(command, [...first, '-i', 'inventory.yml', ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
  const stdout = done.stdout
    .split('\n')
    .filter((line) => !CONFIG_LINE.test(line))
    .join('\n');
  return { status: done.status, stdout, stderr: done.stderr };
}

const warnings = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('[WARNING]: '));

describe.skipIf(!hasAnsible())('meta tasks skipped by when, as ansible-playbook prints them', () => {
  beforeAll(() => {
    const hosts = ensureSandbox(45).filter((host) => HOSTS.includes(host.name));
    const lines = hosts.map((host) => `    ${host.name}: {ansible_host: ${host.address}, ansible_port: ${host.port}, ansible_user: ${host.user}}\n`).join('');
    const first = hosts[0] as SandboxHost;
    project = mkdtempSync(join(tmpdir(), 'fleet-meta-skipped-'));
    writeFileSync(
      join(project, 'inventory.yml'),
      `all:\n  hosts:\n${lines}  vars:\n    ansible_ssh_private_key_file: ${first.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`,
    );
    writeFileSync(join(project, 'skipped.yml'), SKIPPED_METAS);
    writeFileSync(join(project, 'end_role.yml'), '- hosts: h43\n  gather_facts: false\n  tasks:\n    - meta: end_role\n      when: false\n');
    fleetBin = fleetBinDir();
  });

  it.each([[[]], [['-v']]])('every meta action with a false when prints the same banners, skipping lines, warnings and recap (args %j)', (verbosity) => {
    const ansible = run('ansible', [...verbosity, 'skipped.yml']);
    const fleet = run('fleet', [...verbosity, 'skipped.yml']);
    expect(ansible.status).toBe(0);
    expect(fleet.status).toBe(ansible.status);
    expect(sortedSections(fleet.stdout)).toEqual(sortedSections(ansible.stdout));
    expect(recap(fleet.stdout)).toEqual(recap(ansible.stdout));
    expect(warnings(fleet.stderr)).toEqual(warnings(ansible.stderr));
    // What the comparison rests on: skips are printed, and none of them is counted.
    expect(ansible.stdout).toContain('skipping: [h43]');
    expect(recap(ansible.stdout).get('h44')?.skipped).toBe(0);
    if (verbosity.length > 0) expect(ansible.stdout).toContain('"skip_reason": "end_play conditional evaluated to False, continuing play"');
  }, 120_000);

  it('an unknown meta action fails even when its when is false (end_role is not in ansible-core 2.14)', () => {
    const ansible = run('ansible', ['end_role.yml']);
    const fleet = run('fleet', ['end_role.yml']);
    expect(ansible.status).toBe(1);
    expect(fleet.status).toBe(ansible.status);
    expect(sortedSections(fleet.stdout)).toEqual(sortedSections(ansible.stdout));
    expect(fleet.stderr).toContain('invalid meta action requested: end_role');
  }, 60_000);
});
