import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { knownHostsFile, type SandboxHost } from '../support/sandbox.js';
import { applyHosts, applyInventory, fleetApply, hasAnsible, recap, resetHost, sitePlaybook, snapshot } from './support.js';

let hosts: SandboxHost[];
let inventory: string;

beforeAll(() => {
  hosts = applyHosts();
  inventory = applyInventory();
  for (const host of hosts) resetHost(host);
  for (const canary of ['/tmp/fleet-canary', '/tmp/fleet-canary2']) if (existsSync(canary)) execFileSync('rm', ['-f', canary]);
});

const file = (host: SandboxHost, rel: string) => join(host.home, 'app', rel);
/** The name the test inventory gives the index-th apply host. */
const inventoryName = (index: number) => `h${index + 1}`;

describe('fleet apply on four loopback sshd hosts', () => {
  it('converges every host on the first run', async () => {
    const run = await fleetApply({ inventory: [inventory] });
    expect(run.exitCode, run.output).toBe(0);
    const counters = recap(run.output);
    for (const [index, host] of hosts.entries()) {
      const name = inventoryName(index);
      expect(counters.get(name)?.failed, run.output).toBe(0);
      expect(counters.get(name)?.changed, run.output).toBeGreaterThan(0);
      expect(readFileSync(file(host, 'identity'), 'utf8')).toBe(`${name}\n`);
      expect(readFileSync(file(host, 'etc/config.yaml'), 'utf8')).toContain('provider: kimi-coding');
      expect(readFileSync(file(host, 'state/agent-restarted'), 'utf8')).toBe('restarted\n');
      const crontab = execFileSync('crontab', ['-l', '-u', host.user], { encoding: 'utf8' });
      expect(crontab).toContain('#Ansible: fleet heartbeat\n*/5 * * * * echo beat >> ');
    }
  });

  it('changes nothing on the second run', async () => {
    const run = await fleetApply({ inventory: [inventory] });
    expect(run.exitCode, run.output).toBe(0);
    for (const index of hosts.keys()) expect(recap(run.output).get(inventoryName(index))?.changed, run.output).toBe(0);
  });

  it('writes hostile values byte for byte and never runs them', () => {
    const expected = 'it\'s "quoted" $(touch /tmp/fleet-canary) `touch /tmp/fleet-canary2`; && echo pwned\nsecond line * ?\n';
    for (const host of hosts) expect(readFileSync(file(host, 'etc/hostile.txt'), 'utf8')).toBe(expected);
    expect(existsSync('/tmp/fleet-canary')).toBe(false);
    expect(existsSync('/tmp/fleet-canary2')).toBe(false);
  });

  it('--check reports the drift, --diff shows it, and the disk stays as it was', async () => {
    const [h1] = hosts as [SandboxHost];
    const conf = file(h1, 'etc/base.conf');
    const drifted = readFileSync(conf, 'utf8').replace('host=h1', 'host=edited-by-hand');
    writeFileSync(conf, drifted);
    const run = await fleetApply({ inventory: [inventory], check: true, diff: true });
    expect(run.exitCode, run.output).toBe(0);
    expect(recap(run.output).get('h1')?.changed).toBeGreaterThan(0);
    expect(recap(run.output).get('h2')?.changed).toBe(0);
    expect(run.output).toContain(`--- before: ${conf}`);
    expect(run.output).toContain('-host=edited-by-hand\n+host=h1');
    expect(readFileSync(conf, 'utf8')).toBe(drifted);
  });

  it('--limit touches only the named host', async () => {
    const [h1, h2] = hosts as [SandboxHost, SandboxHost];
    appendFileSync(file(h2, 'identity'), 'drift\n');
    const run = await fleetApply({ inventory: [inventory], limit: 'h2' });
    expect(run.exitCode, run.output).toBe(0);
    expect([...recap(run.output).keys()]).toEqual(['h2']);
    expect(readFileSync(file(h2, 'identity'), 'utf8')).toBe('h2\n');
    expect(readFileSync(file(h1, 'etc/base.conf'), 'utf8')).toContain('host=edited-by-hand');
  });

  it('an unreachable host leaves the others converged and exits 4', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-unreachable-'));
    const extra = join(dir, 'extra.yml');
    // 127.0.1.250 has no sshd: connecting is refused at once.
    writeFileSync(extra, 'all:\n  hosts:\n    dead:\n      ansible_host: 127.0.1.250\n      ansible_port: 2222\n');
    const run = await fleetApply({ inventory: [inventory, extra] });
    expect(run.exitCode, run.output).toBe(4);
    expect(recap(run.output).get('dead')?.unreachable).toBe(1);
    expect(readFileSync(file(hosts[0] as SandboxHost, 'etc/base.conf'), 'utf8')).toContain('host=h1');
    for (const index of hosts.keys()) expect(recap(run.output).get(inventoryName(index))?.failed).toBe(0);
  });

  it('refuses a host whose key is not in known_hosts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-hostkey-'));
    const known = join(dir, 'known_hosts');
    const first = hosts[0] as SandboxHost;
    writeFileSync(known, readFileSync(knownHostsFile(), 'utf8').split('\n').filter((line) => !line.startsWith(`[${first.address}]`)).join('\n'));
    const altered = readFileSync(inventory, 'utf8').split(knownHostsFile()).join(known);
    const inv = join(dir, 'inventory.yml');
    writeFileSync(inv, altered);
    const run = await fleetApply({ inventory: [inv], limit: 'h1,h2' });
    expect(run.exitCode, run.output).toBe(4);
    expect(run.output).toMatch(/fatal: \[h1\]: UNREACHABLE!.*host key/i);
    expect(recap(run.output).get('h2')?.unreachable).toBe(0);
  });
});

describe.skipIf(!hasAnsible())('same end state as ansible-playbook', () => {
  it('leaves the same files, modes and crontabs, with the same recap', async () => {
    for (const host of hosts) resetHost(host);
    const ansibleOutput = execFileSync('ansible-playbook', ['-i', inventory, sitePlaybook], {
      env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_NOCOLOR: '1' },
      encoding: 'utf8',
    });
    const ansible = hosts.map(snapshot);
    for (const host of hosts) resetHost(host);
    const run = await fleetApply({ inventory: [inventory] });
    expect(run.exitCode, run.output).toBe(0);
    expect(hosts.map(snapshot)).toEqual(ansible);
    expect(recap(run.output)).toEqual(recap(ansibleOutput));
  }, 300_000);
});
