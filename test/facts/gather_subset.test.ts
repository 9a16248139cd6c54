/**
 * gather_subset against ansible-playbook 2.14 on a sandbox host (h46): for each subset, the
 * fact keys setup returns (and its failure, for a name it does not know) must be Ansible's,
 * as the setup argument and as the play keyword.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetApply, hasAnsible } from '../apply/support.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';

const SUBSETS: unknown[] = [
  'all', 'min', '!all', '!min', 'network', 'hardware', 'virtual', '!hardware', '!all,network', ['!all', '!min', 'network'],
  ['!all', 'devices'], '!all,!min,local', '!all,!min,chroot', '!all,!min,loadavg', '!all,!min,python_version', '!all,!min,nvme',
  '!all,!min,fips', '!all,!min,lsb', 'facter,!bogus', 'dmi', ['network', 'bogus'],
];

interface Outcome {
  subset: unknown;
  failed: boolean;
  msg: string;
  keys: string[];
}

let host: SandboxHost;
let dir: string;

function inventoryText(): string {
  return `all:\n  hosts:\n    h46: {ansible_host: ${host.address}, ansible_port: ${host.port}, ansible_user: ${host.user}}\n  vars:\n    ansible_ssh_private_key_file: ${host.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`;
}

/** Each result the playbook wrote into `out` (one file per setup run), by file name. */
function outcomes(out: string): Outcome[] {
  return readdirSync(out).sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10)).map((file) => {
    const result = JSON.parse(readFileSync(join(out, file), 'utf8')) as { item?: unknown; failed?: boolean; msg?: string; ansible_facts?: Record<string, unknown> };
    const keys = Object.keys(result.ansible_facts ?? {}).filter((key) => key !== '_ansible_facts_gathered');
    return { subset: result.item ?? file, failed: result.failed === true, msg: result.msg ?? '', keys: keys.sort() };
  });
}

/** Runs `playbook` with both tools (each writing its results into a directory of its own). */
async function both(playbook: string): Promise<{ ansible: Outcome[]; fleet: Outcome[] }> {
  const file = join(dir, `${Date.now()}.yml`);
  writeFileSync(file, playbook);
  const inventory = join(dir, 'inventory.yml');
  const ansibleOut = mkdtempSync(join(dir, 'ansible-'));
  const fleetOut = mkdtempSync(join(dir, 'fleet-'));
  const ansible = await execa('ansible-playbook', ['-i', inventory, '-e', `out=${ansibleOut}`, file], { cwd: dir, reject: false, all: true, env: { ANSIBLE_NOCOLOR: '1' } });
  expect(ansible.exitCode, ansible.all).toBe(0);
  const fleet = await fleetApply({ inventory: [inventory], playbook: file, cwd: dir, extraVars: [`out=${fleetOut}`] });
  expect(fleet.exitCode, fleet.output).toBe(0);
  return { ansible: outcomes(ansibleOut), fleet: outcomes(fleetOut) };
}

describe.skipIf(!hasAnsible())('gather_subset, as ansible-playbook applies it', () => {
  beforeAll(() => {
    host = ensureSandbox(50).find((each) => each.name === 'h46') as SandboxHost;
    dir = mkdtempSync(join(tmpdir(), 'fleet-gather-subset-'));
    writeFileSync(join(dir, 'inventory.yml'), inventoryText());
  });

  it("setup's gather_subset: the same fact keys for each subset, Ansible's error for an unknown one", async () => {
    const playbook = `- hosts: h46
  gather_facts: false
  tasks:
    - setup: {gather_subset: "{{ item }}"}
      loop: ${JSON.stringify(SUBSETS)}
      register: gathered
      ignore_errors: true
    - copy: {content: "{{ item | to_json }}", dest: "{{ out }}/{{ index }}.json"}
      loop: "{{ gathered.results }}"
      loop_control: {index_var: index}
      delegate_to: localhost
`;
    const { ansible, fleet } = await both(playbook);
    expect(ansible).toHaveLength(SUBSETS.length);
    // What the subsets must tell apart: none, the minimal set, more.
    expect(new Set(ansible.map((outcome) => outcome.keys.length)).size).toBeGreaterThan(5);
    expect(ansible.filter((outcome) => outcome.failed).map((outcome) => outcome.subset)).toEqual(['dmi', ['network', 'bogus']]);
    for (const [index, expected] of ansible.entries()) expect(fleet[index], JSON.stringify(expected.subset)).toEqual(expected);
  }, 180_000);

  it('the play keyword: a string is one subset (its commas do not split it), a list is the subsets', async () => {
    const plays = ['min', '!all,network', ['!all', 'network'], ['!all', '!min', 'virtual']].map((subset, index) => `- hosts: h46
  gather_subset: ${JSON.stringify(subset)}
  vars: {subset_given: ${JSON.stringify(subset)}}
  tasks:
    - copy: {content: "{{ {'item': subset_given, 'ansible_facts': ansible_facts} | to_json }}", dest: "{{ out }}/${index}.json"}
      delegate_to: localhost
    - meta: clear_facts
`);
    const { ansible, fleet } = await both(plays.join(''));
    const sizes = ansible.map((outcome) => outcome.keys.length);
    expect(sizes[1]).toBe(sizes[0]);
    expect(sizes[2]).toBeGreaterThan(sizes[0]!);
    expect(sizes[3]).toBeLessThan(sizes[0]!);
    expect(fleet).toEqual(ansible);
  }, 180_000);
});
