/**
 * A loop item that raises outside its module — an undefined variable in its arguments, a
 * `when` that cannot be evaluated — leaves TaskExecutor._run_loop: the task fails with that one
 * error, the items after it never run, and `register` holds the error without `results`. An
 * item whose module fails, or whose `changed_when` cannot be evaluated (_execute turns that
 * into the item's `changed_when_result`), is only that item's result, and the loop goes on.
 * Compared with ansible-playbook on the same host: which items ran (files on the host), the
 * whole output — each result with its message ("The task includes an option with an undefined
 * variable…", "The conditional check '…' failed…", the task's position and lines) — and the
 * recap. Runs on sandbox host h35, which no other test uses.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';
import { hasAnsible, recap, sortedSections } from './support.js';

const HOST = 'h35';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: the second item's arguments are undefined
      command: "touch {{ work }}/args-{{ item.name }}"
      loop:
        - {name: a}
        - {other: b}
        - {name: c}
      register: by_args
      ignore_errors: true
    - name: the second item's when cannot be evaluated
      command: "touch {{ work }}/when-{{ item }}"
      when: item != 2 or no_such_variable
      loop: [1, 2, 3]
      register: by_when
      ignore_errors: true
    - name: changed_when cannot be evaluated, item after item
      command: "touch {{ work }}/changed-{{ item }}"
      changed_when: no_such_variable.rc == 0
      loop: [1, 2]
      register: by_changed_when
      ignore_errors: true
    - name: a failing module is only its item's result
      command: "sh -c 'touch {{ work }}/module-{{ item }}; test {{ item }} != 2'"
      loop: [1, 2, 3]
      register: by_module
      ignore_errors: true
    - name: what each registered
      debug:
        msg: "{{ [by_args, by_when, by_changed_when, by_module] | map('dict2items') | map('map', attribute='key') | map('sort') | list }}"
`;

let host: SandboxHost;
let project: string;
let work: string;
let fleetBin: string;

function run(tool: 'ansible' | 'fleet'): { status: number | null; stdout: string; files: string[] } {
  rmSync(work, { recursive: true, force: true });
  spawnSync('mkdir', ['-m', '0777', work]);
  const [command, first] = tool === 'ansible' ? ['ansible-playbook', []] : [join(fleetBin, 'fleet'), ['apply']];
  const done = spawnSync(command, [...first, '-i', 'inventory.yml', '-e', `work=${work}`, 'raise.yml'], { cwd: project, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
  return { status: done.status, stdout: done.stdout, files: existsSync(work) ? readdirSync(work).sort() : [] };
}

describe.skipIf(!hasAnsible())('a loop item that raises ends the loop, as in ansible-playbook', () => {
  beforeAll(() => {
    host = ensureSandbox(35).find((each) => each.name === HOST) as SandboxHost;
    work = join(host.home, 'loop-raise');
    project = mkdtempSync(join(tmpdir(), 'fleet-loop-raise-'));
    writeFileSync(
      join(project, 'inventory.yml'),
      `all:\n  hosts:\n    ${HOST}: {ansible_host: ${host.address}, ansible_port: ${host.port}, ansible_user: ${host.user}}\n  vars:\n    ansible_ssh_private_key_file: ${host.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`,
    );
    writeFileSync(join(project, 'raise.yml'), PLAYBOOK);
    fleetBin = fleetBinDir();
  });

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  it('runs the same items, prints the same results, registers the same keys and counts the same recap', () => {
    const ansible = run('ansible');
    const fleet = run('fleet');
    expect(ansible.status).toBe(0);
    expect(fleet.status).toBe(ansible.status);
    expect(fleet.files).toEqual(ansible.files);
    expect(sortedSections(fleet.stdout)).toEqual(sortedSections(ansible.stdout));
    expect(recap(fleet.stdout)).toEqual(recap(ansible.stdout));
    expect(ansible.stdout).toContain("The task includes an option with an undefined variable. The error was: 'dict object' has no attribute 'name'");
    expect(ansible.stdout).toContain("The conditional check 'item != 2 or no_such_variable' failed.");
    // What the comparison rests on: each raising loop stopped at its raising item; changed_when and the failing module did not stop theirs.
    expect(ansible.files).toEqual(['args-a', 'changed-1', 'changed-2', 'module-1', 'module-2', 'module-3', 'when-1']);
  }, 120_000);
});
