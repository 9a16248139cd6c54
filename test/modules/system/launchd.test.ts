import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetApply, recap } from '../../apply/support.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../../support/sandbox.js';

/**
 * fleet's launchd against community.general.launchd, both driving the stand-in launchctl
 * (launchd/launchctl, a test double of launchd) on sandbox host h30: the same playbook's
 * recap, registered results, plist bytes and launchctl calls. launchd/launchd.json is what
 * ansible-playbook did; `FLEET_RECORD_LAUNCHD=1 npx vitest run test/modules/system/launchd.test.ts`
 * records it again (needs Debian's `ansible` package for community.general).
 */
const here = join(import.meta.dirname, 'launchd');
const playbook = join(here, 'playbook.yml');
const fixture = join(here, 'launchd.json');

interface Outcome {
  recap: Record<string, number>;
  results: unknown[];
  plists: string[];
  calls: string[];
  agents: Record<string, string>;
}

/** The waits the stand-in sleep (launchd/sleep) was asked for, one per line; none under ansible-playbook, whose launchd.py waits in Python. */
function sleeps(host: SandboxHost): string[] {
  const log = join(host.home, 'fleet-launchd', 'sleeps.log');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

function inventory(host: SandboxHost): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-launchd-')), 'inventory.yml');
  writeFileSync(
    file,
    `all:\n  hosts:\n    mac:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n      fake_home: ${host.home}\n  vars:\n    ansible_ssh_private_key_file: ${host.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`,
  );
  return file;
}

/**
 * A result with the host's home as <home>, false changed/failed dropped. A launchd.py crash (MODULE FAILURE) keeps only its
 * exception line: Ansible's traceback names its temp files and lands in module_stdout over a tty.
 */
function normalizeResult(result: Record<string, unknown>, home: string): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(result).replaceAll(home, '<home>')) as Record<string, unknown>;
  // As differential.ts's DROPPED_FALSE: fleet's argument-validation failures omit changed=false.
  for (const key of ['changed', 'failed']) if (plain[key] === false) delete plain[key];
  if (plain.msg !== 'MODULE FAILURE\nSee stdout/stderr for the exact error') return plain;
  const text = ['module_stdout', 'module_stderr', 'exception'].map((key) => String(plain[key] ?? '')).join('\n');
  const { module_stdout: _out, module_stderr: _err, exception: _exception, ...rest } = plain;
  return { ...rest, exception_line: /^\w+Error: .*$/m.exec(text.replaceAll('\r', ''))?.[0] ?? null };
}

function outcome(output: string, host: SandboxHost): Outcome {
  const state = join(host.home, 'fleet-launchd');
  const dumped = JSON.parse(readFileSync(join(state, 'results.json'), 'utf8')) as { results: Record<string, unknown>[]; plists: string[] };
  const agentsDir = join(host.home, 'Library', 'LaunchAgents');
  const agents = Object.fromEntries(readdirSync(agentsDir).sort().map((name) => [name, readFileSync(join(agentsDir, name)).toString('base64')]));
  return {
    recap: recap(output).get('mac') ?? {},
    results: dumped.results.map((result) => normalizeResult(result, host.home)),
    plists: dumped.plists,
    calls: readFileSync(join(state, 'calls.log'), 'utf8').replaceAll(host.home, '<home>').split('\n'),
    agents,
  };
}

function recordWithAnsible(inventoryFile: string, host: SandboxHost): Outcome {
  const output = execFileSync('ansible-playbook', ['-i', inventoryFile, playbook], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
  const recorded = outcome(output, host);
  writeFileSync(fixture, `${JSON.stringify(recorded, null, 1)}\n`);
  return recorded;
}

describe('launchd matches community.general.launchd 6.6 (stand-in launchctl on h30)', () => {
  let expected: Outcome;
  let actual: Outcome;
  let waits: string[];

  beforeAll(async () => {
    const host = ensureSandbox(30).find((each) => each.name === 'h30') as SandboxHost;
    const inventoryFile = inventory(host);
    expected = process.env.FLEET_RECORD_LAUNCHD ? recordWithAnsible(inventoryFile, host) : (JSON.parse(readFileSync(fixture, 'utf8')) as Outcome);
    const run = await fleetApply({ inventory: [inventoryFile], playbook });
    actual = outcome(run.output, host);
    waits = sleeps(host);
  }, 600_000);

  it('the same recap', () => {
    expect(actual.recap).toEqual(expected.recap);
  });

  it('the same registered results, task by task', () => {
    expect(actual.results).toEqual(expected.results);
  });

  it('the same launchctl calls in the same order', () => {
    expect(actual.calls).toEqual(expected.calls);
  });

  it("after each launchctl start or stop, launchd.py's 5 s wait for the job to settle", () => {
    const startsAndStops = actual.calls.filter((call) => /^(start|stop) /.test(call)).length;
    expect(startsAndStops).toBeGreaterThan(0);
    expect(waits).toEqual(Array(startsAndStops).fill('5'));
  });

  it('plists rewritten to the same bytes (XML and binary sources)', () => {
    expect(actual.plists).toEqual(expected.plists);
    expect(actual.agents).toEqual(expected.agents);
  });
});
