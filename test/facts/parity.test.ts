/**
 * Gathered facts, key by key, against ansible-playbook's setup on the same sandbox host:
 * both tools run the same play, which writes `ansible_facts | to_nice_json` to a controller
 * file, and every key must be there in both with the same value, except the few listed in
 * MOVING, whose values legitimately change between two gatherings. Runs on h80 (engineer F's
 * hosts).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetApply, hasAnsible } from '../apply/support.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';

type Facts = Record<string, unknown>;

/**
 * Facts whose values move between two gatherings a few seconds apart, with what must still
 * agree. Everything else must be equal.
 */
const MOVING: Record<string, (ansible: unknown, fleet: unknown) => void> = {
  // The clock: same keys, same zone, a few seconds apart.
  date_time: (a, f) => {
    const [ad, fd] = [a as Record<string, string>, f as Record<string, string>];
    expect(Object.keys(fd).sort()).toEqual(Object.keys(ad).sort());
    for (const key of ['tz', 'tz_dst', 'tz_offset']) expect(fd[key], key).toBe(ad[key]);
    expect(Math.abs(Number(fd.epoch) - Number(ad.epoch))).toBeLessThan(120);
  },
  // Each SSH session has its own client port; ansible's asks for a tty (SSH_TTY, TERM) and
  // forwards the controller's locale (LC_*); `_` is the program its module's shell ran last.
  env: (a, f) => expect(withoutSession(f)).toEqual(withoutSession(a)),
  // Free memory and load change from one second to the next; the totals do not.
  memfree_mb: sameType,
  memory_mb: (a, f) => {
    const [am, fm] = [a as Record<string, Record<string, number>>, f as Record<string, Record<string, number>>];
    expect(fm.real!.total).toBe(am.real!.total);
    expect(fm.swap!.total).toBe(am.swap!.total);
    for (const part of ['real', 'nocache', 'swap']) expect(Object.keys(fm[part]!).sort(), part).toEqual(Object.keys(am[part]!).sort());
  },
  loadavg: (a, f) => {
    expect(Object.keys(f as object).sort()).toEqual(Object.keys(a as object).sort());
    for (const value of Object.values(f as object)) expect(typeof value).toBe('number');
  },
  uptime_seconds: (a, f) => expect(Math.abs((f as number) - (a as number))).toBeLessThan(120),
  // linux.py lists /sys/class/net in directory order, which this sandbox's kernel (gVisor)
  // changes from one listing to the next; fleet's shell glob lists it sorted.
  // Free blocks and inodes change as other tests write to the disk.
  mounts: (a, f) => expect((f as Facts[]).map(withoutFree)).toEqual((a as Facts[]).map(withoutFree)),
  interfaces: sameMembers,
  // Python sets, listed in string-hash order, which PYTHONHASHSEED changes from run to run.
  virtualization_tech_guest: sameMembers,
  virtualization_tech_host: sameMembers,
};

function withoutFree(mount: Facts): Facts {
  return Object.fromEntries(Object.entries(mount).filter(([key]) => !/_(available|used)$/.test(key)));
}

function sameMembers(a: unknown, f: unknown): void {
  expect([...(f as string[])].sort()).toEqual([...(a as string[])].sort());
}

function sameType(a: unknown, f: unknown): void {
  expect(typeof f).toBe(typeof a);
}

function withoutSession(env: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(env as Record<string, string>).filter(([name]) => !/^(SSH_|LC_|TERM$|_$)/.test(name)));
}

const PLAYBOOK = `- hosts: h80
  tasks:
    - copy:
        content: "{{ ansible_facts | to_nice_json }}"
        dest: "{{ out }}"
      delegate_to: localhost
`;

let host: SandboxHost;
let dir: string;

function inventoryText(): string {
  return `all:\n  hosts:\n    h80: {ansible_host: ${host.address}, ansible_port: ${host.port}, ansible_user: ${host.user}}\n  vars:\n    ansible_ssh_private_key_file: ${host.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`;
}

/** The facts each tool gathered with `playbook`, as its JSON file. */
/** A run's `[WARNING]:` messages, sorted, without whitespace (the tools wrap lines apart). */
function warnings(output: string): string[] {
  const flat = output.replace(/\s+/g, '');
  return [...flat.matchAll(/\[WARNING\]:(.*?)(?=\[WARNING\]|TASK\[|ok:\[|changed:\[|PLAY|$)/g)].map((match) => match[1] as string).sort();
}

async function gathered(playbook: string): Promise<{ ansible: Facts; fleet: Facts; warnings: { ansible: string[]; fleet: string[] } }> {
  const file = join(dir, `${Date.now()}.yml`);
  writeFileSync(file, playbook);
  const inventory = join(dir, 'inventory.yml');
  const ansibleOut = join(dir, 'ansible.json');
  const fleetOut = join(dir, 'fleet.json');
  const ansible = await execa('ansible-playbook', ['-i', inventory, '-e', `out=${ansibleOut}`, file], { cwd: dir, reject: false, all: true, env: { ANSIBLE_NOCOLOR: '1' } });
  expect(ansible.exitCode, ansible.all).toBe(0);
  const fleet = await fleetApply({ inventory: [inventory], playbook: file, cwd: dir, extraVars: [`out=${fleetOut}`] });
  expect(fleet.exitCode, fleet.output).toBe(0);
  return {
    ansible: JSON.parse(readFileSync(ansibleOut, 'utf8')) as Facts,
    fleet: JSON.parse(readFileSync(fleetOut, 'utf8')) as Facts,
    warnings: { ansible: warnings(ansible.all ?? ''), fleet: warnings(fleet.output) },
  };
}

describe.skipIf(!hasAnsible())('gathered facts, key by key, as ansible-playbook gathers them', () => {
  beforeAll(() => {
    host = ensureSandbox(80).find((each) => each.name === 'h80') as SandboxHost;
    dir = mkdtempSync(join(tmpdir(), 'fleet-facts-parity-'));
    writeFileSync(join(dir, 'inventory.yml'), inventoryText());
  });

  it('the same keys, and the same values but for the moving ones', async () => {
    const { ansible, fleet } = await gathered(PLAYBOOK);
    expect(Object.keys(fleet).sort()).toEqual(Object.keys(ansible).sort());
    for (const key of Object.keys(ansible)) {
      const moving = MOVING[key];
      if (moving) moving(ansible[key], fleet[key]);
      else expect.soft(fleet[key], key).toEqual(ansible[key]);
    }
  }, 120_000);

  it("ansible_local from setup's fact_path: JSON, INI and executable facts, and the ones that fail", async () => {
    const factsDir = join(dir, 'facts.d');
    mkdirSync(factsDir);
    const fact = (name: string, text: string, mode = 0o644): void => writeFileSync(join(factsDir, name), text, { mode });
    fact('json.fact', '{"b": [1, 2.0, null, true], "a": {"nested": "é"}}\n');
    fact('ini.fact', '[DEFAULT]\nshared = from default\n\n[first]\nName = %(shared)s and 100%%\nmulti = one\n  two\n\n  three\n; comment\n[second]\nk: v\n');
    fact('run.fact', '#!/bin/sh\necho \'{"ran": "yes", "args": "\'"$#"\'"}\'\n', 0o755);
    fact('fails.fact', '#!/bin/sh\necho out; echo "it broke" >&2; exit 3\n', 0o755);
    fact('bad.fact', 'neither json\nnor ini\n');
    fact('empty.fact', '');
    fact('x.facts.fact', '"a string"');
    fact('ignored.txt', '{}');
    chmodSync(dir, 0o755);
    chmodSync(factsDir, 0o755);
    const setupTask = `  gather_facts: false\n  tasks:\n    - setup: {fact_path: ${factsDir}, filter: ansible_local}`;
    const playbook = PLAYBOOK.replace('  tasks:', setupTask).replace('ansible_facts | to_nice_json', 'ansible_local | to_nice_json');
    const { ansible, fleet, warnings: printed } = await gathered(playbook);
    expect(printed.ansible).toHaveLength(2);
    expect(printed.fleet).toEqual(printed.ansible);
    expect(Object.keys(ansible)).toHaveLength(7);
    expect(fleet).toEqual(ansible);
  }, 120_000);

  it("a play's fact_path is its Gathering Facts' fact_path, as PlayIterator passes it", async () => {
    const factsDir = join(dir, 'play-facts.d');
    mkdirSync(factsDir);
    writeFileSync(join(factsDir, 'p.fact'), '[s]\nk = v\n');
    chmodSync(dir, 0o755);
    chmodSync(factsDir, 0o755);
    const playbook = PLAYBOOK.replace('  tasks:', `  fact_path: ${factsDir}\n  tasks:`).replace('ansible_facts | to_nice_json', 'ansible_local | to_nice_json');
    const { ansible, fleet } = await gathered(playbook);
    expect(ansible).toEqual({ p: { s: { k: 'v' } } });
    expect(fleet).toEqual(ansible);
  }, 120_000);
});
