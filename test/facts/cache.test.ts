/**
 * The fact cache against the real ansible-playbook: the same playbooks and ansible.cfg, run by
 * both tools in two project directories, must leave the same jsonfile cache files and print
 * the same output and recap. Runs on sandbox hosts h40–h42 (engineer A's hosts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import { listingText } from '../../src/executor/listing.js';
import { DefaultTextSink } from '../../src/output/default_text.js';
import { ansibleApply, fleetApply, hasAnsible, recap, sortedSections } from '../apply/support.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';

const HOSTS = ['h40', 'h41', 'h42'];

// Facts both tools gather alike on these hosts (test/facts/facts.test.ts checks more of them).
const STABLE = ['ansible_hostname', 'ansible_distribution', 'ansible_os_family', 'ansible_user_id', 'ansible_user_dir', 'ansible_architecture', 'ansible_pkg_mgr', 'ansible_service_mgr'];
/** What Ansible's cache holds besides the gathered facts. */
const BOOKKEEPING = ['_ansible_facts_gathered', 'gather_subset', 'module_setup'];

const TWO_PLAYS = `- hosts: h40,h41
  tasks:
    - set_fact: {plain: 1}
      when: inventory_hostname == 'h40'
    - set_fact: {cached_thing: [1, 2.5, "zé", {"k": null}], cacheable: true}
      when: inventory_hostname == 'h40'
    - debug: msg="{{ hostvars['h42'].ansible_hostname | default('none') }} {{ ansible_facts._ansible_facts_gathered }} {{ _ansible_facts_gathered | default('not a var') }}"
- hosts: h40
  tasks:
    - debug: msg="{{ cached_thing }} {{ ansible_hostname }}"
`;

const OTHER_HOSTS = `- hosts: h42
  gather_facts: false
  tasks:
    - debug: msg="{{ hostvars['h40'].cached_thing | default('none') }} {{ hostvars['h41'].ansible_facts.hostname | default('none') }} {{ ansible_hostname | default('none') }}"
`;

const CLEAR = `- hosts: h40,h41
  gather_facts: false
  tasks:
    - set_fact: {kept: "{{ inventory_hostname }}", cacheable: true}
    - meta: clear_facts
      when: inventory_hostname == 'h40'
    - debug: msg="{{ ansible_facts.keys() | list }} {{ kept }}"
`;

let hosts: SandboxHost[];

function inventoryText(): string {
  const lines = hosts.map((host) => `    ${host.name}: {ansible_host: ${host.address}, ansible_port: ${host.port}, ansible_user: ${host.user}}\n`).join('');
  const first = hosts[0] as SandboxHost;
  return `all:\n  hosts:\n${lines}  vars:\n    ansible_ssh_private_key_file: ${first.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`;
}

/** One project directory per tool, with the same inventory, playbooks and ansible.cfg. */
function projects(cfg: string, playbooks: Record<string, string>): { ansible: string; fleet: string } {
  const root = mkdtempSync(join(tmpdir(), 'fleet-fact-cache-'));
  const make = (tool: string) => {
    const dir = join(root, tool);
    mkdirSync(dir);
    writeFileSync(join(dir, 'ansible.cfg'), cfg);
    writeFileSync(join(dir, 'inventory.yml'), inventoryText());
    for (const [name, text] of Object.entries(playbooks)) writeFileSync(join(dir, name), text);
    return dir;
  };
  return { ansible: make('ansible'), fleet: make('fleet') };
}

const SMART_JSONFILE = '[defaults]\ngathering = smart\nfact_caching = jsonfile\nfact_caching_connection = cache/facts\nfact_caching_prefix = pre_\n';

async function both(dirs: { ansible: string; fleet: string }, playbook: string, args: { limit?: string; flushCache?: boolean } = {}) {
  const extra = [...(args.limit ? ['-l', args.limit] : []), ...(args.flushCache ? ['--flush-cache'] : [])];
  const ansible = ansibleApply('inventory.yml', playbook, { cwd: dirs.ansible, args: extra });
  const fleet = await fleetApply({ inventory: [join(dirs.fleet, 'inventory.yml')], playbook: join(dirs.fleet, playbook), cwd: dirs.fleet, ...args });
  expect(fleet.exitCode).toBe(ansible.exitCode);
  expect(sortedSections(fleet.output)).toEqual(sortedSections(ansible.output));
  expect(recap(fleet.output)).toEqual(recap(ansible.output));
  return { ansible: ansible.output, fleet: fleet.output };
}

const cacheDir = (dir: string) => join(dir, 'cache', 'facts');
const cacheFiles = (dir: string) => readdirSync(cacheDir(dir)).sort();
const readCache = (dir: string, file: string) => JSON.parse(readFileSync(join(cacheDir(dir), file), 'utf8')) as Record<string, unknown>;

/** Each tool's files: the same names, mode 0600, fleet's facts a subset of Ansible's, the same bookkeeping and stable values. */
function expectSameCache(dirs: { ansible: string; fleet: string }): void {
  expect(cacheFiles(dirs.fleet)).toEqual(cacheFiles(dirs.ansible));
  for (const file of cacheFiles(dirs.ansible)) {
    expect((statSync(join(cacheDir(dirs.fleet), file)).mode & 0o777).toString(8), file).toBe('600');
    const ansible = readCache(dirs.ansible, file);
    const fleet = readCache(dirs.fleet, file);
    expect(Object.keys(ansible), file).toEqual(expect.arrayContaining(Object.keys(fleet)));
    const notFacts = (facts: Record<string, unknown>) => Object.keys(facts).filter((key) => !key.startsWith('ansible_'));
    expect(notFacts(fleet), file).toEqual(notFacts(ansible));
    for (const key of [...BOOKKEEPING, ...STABLE, ...notFacts(ansible)]) expect.soft(fleet[key], `${file} ${key}`).toEqual(ansible[key]);
    // Written as json.dumps(sort_keys=True, indent=4) writes it: Python's re-dump gives the same bytes.
    const text = readFileSync(join(cacheDir(dirs.fleet), file), 'utf8');
    const redumped = execFileSync('python3', ['-c', 'import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin), sort_keys=True, indent=4))'], { input: text, encoding: 'utf8' });
    expect(text, file).toBe(redumped);
  }
}

describe.skipIf(!hasAnsible())('the fact cache, as ansible-playbook keeps it', () => {
  beforeAll(() => {
    hosts = ensureSandbox(42).filter((host) => HOSTS.includes(host.name));
  });

  it('gathering smart with jsonfile: the same files, output and recap on the first and second run, hostvars of hosts outside the play from the cache, --flush-cache under --limit', async () => {
    const dirs = projects(SMART_JSONFILE, { 'two_plays.yml': TWO_PLAYS, 'other_hosts.yml': OTHER_HOSTS });
    const first = await both(dirs, 'two_plays.yml');
    expect(first.fleet).toContain('TASK [Gathering Facts]');
    expect(first.fleet.match(/TASK \[Gathering Facts\]/g)).toHaveLength(1);
    expect(cacheFiles(dirs.fleet)).toEqual(['pre_h40', 'pre_h41']);
    expectSameCache(dirs);
    expect(readCache(dirs.fleet, 'pre_h40').cached_thing).toEqual([1, 2.5, 'zé', { k: null }]);

    const second = await both(dirs, 'two_plays.yml');
    expect(second.fleet).not.toContain('Gathering Facts');
    expectSameCache(dirs);

    const other = await both(dirs, 'other_hosts.yml');
    expect(other.fleet).toContain(`"msg": "[1, 2.5, 'zé', {'k': None}] ${readCache(dirs.fleet, 'pre_h41').ansible_hostname} none"`);

    await both(dirs, 'two_plays.yml', { limit: 'h40', flushCache: true });
    expectSameCache(dirs);
    await both(dirs, 'other_hosts.yml', { limit: 'h41,h42', flushCache: true });
    expect(cacheFiles(dirs.fleet)).toEqual(['pre_h40']);
    expectSameCache(dirs);
  });

  it('meta: clear_facts runs once, as the first host decides, and removes the cache entry of every host in the play', async () => {
    const dirs = projects(SMART_JSONFILE, { 'clear.yml': CLEAR, 'clear_on_second.yml': CLEAR.replace("== 'h40'", "== 'h41'") });
    // The second host's `when` alone clears nothing (Ansible also prints a skip for the first host: not compared).
    const kept = await fleetApply({ inventory: [join(dirs.fleet, 'inventory.yml')], playbook: join(dirs.fleet, 'clear_on_second.yml'), cwd: dirs.fleet });
    expect(kept.output).toContain(`"msg": "['kept'] h40"`);
    expect(cacheFiles(dirs.fleet)).toEqual(['pre_h40', 'pre_h41']);
    const cleared = await both(dirs, 'clear.yml');
    expect(cleared.fleet).toContain('"msg": "[] h41"');
    expect(cacheFiles(dirs.fleet)).toEqual([]);
    expect(cacheFiles(dirs.ansible)).toEqual([]);
  });

  it('with the memory cache: explicit gathers only where a play asks, smart once per host and run', async () => {
    const playbook = `- hosts: h40\n  tasks:\n    - debug: msg="{{ ansible_hostname | default('no facts') }}"\n- hosts: h40,h41\n  gather_facts: true\n  tasks:\n    - debug: msg="{{ ansible_hostname }}"\n- hosts: h41\n  tasks:\n    - debug: msg="{{ ansible_hostname }}"\n`;
    const explicit = await both(projects('[defaults]\ngathering = explicit\n', { 'plays.yml': playbook }), 'plays.yml');
    expect(explicit.fleet).toContain('"msg": "no facts"');
    expect(explicit.fleet.match(/TASK \[Gathering Facts\]/g)).toHaveLength(1);
    const smart = await both(projects('[defaults]\ngathering = smart\n', { 'plays.yml': playbook }), 'plays.yml');
    expect(smart.fleet.match(/TASK \[Gathering Facts\]/g)).toHaveLength(2);
    expect(smart.fleet).toMatch(/PLAY \[h40,h41\] \*+\n\nTASK \[Gathering Facts\] \*+\nok: \[h41\]\n\n/);
  });

  it('--flush-cache flushes under --list-hosts too, as ansible-playbook does, touching no host', async () => {
    const dirs = projects(SMART_JSONFILE, { 'two_plays.yml': TWO_PLAYS });
    for (const dir of [dirs.ansible, dirs.fleet]) {
      mkdirSync(cacheDir(dir), { recursive: true });
      for (const host of HOSTS) writeFileSync(join(cacheDir(dir), `pre_${host}`), '{"ansible_hostname": "cached"}');
    }
    const ansible = ansibleApply('inventory.yml', 'two_plays.yml', { cwd: dirs.ansible, args: ['--list-hosts', '--flush-cache', '-l', 'h40:h42'] });
    const options = applyOptionsFrom([join(dirs.fleet, 'two_plays.yml')], { inventory: [join(dirs.fleet, 'inventory.yml')], tags: [], skipTags: [], extraVars: [], verbose: 0, limit: 'h40:h42', flushCache: true }, process.env, dirs.fleet);
    const fleet = await listingText(options, { listHosts: true }, new DefaultTextSink({ write: () => {}, writeError: () => {}, color: false, verbosity: 0, terminalWidth: 0 }));
    expect(fleet).toContain('hosts (1):');
    expect(ansible.output).toContain('hosts (1):');
    expect(cacheFiles(dirs.fleet)).toEqual(['pre_h41']);
    expect(cacheFiles(dirs.ansible)).toEqual(['pre_h41']);
  });

  it('an entry older than fact_caching_timeout is gathered again; 0 keeps it for ever', async () => {
    const dirs = projects(`${SMART_JSONFILE}fact_caching_timeout = 3600\n`, { 'two_plays.yml': TWO_PLAYS });
    await both(dirs, 'two_plays.yml');
    const old = new Date(Date.now() - 7200 * 1000);
    for (const dir of [dirs.ansible, dirs.fleet]) utimesSync(join(cacheDir(dir), 'pre_h41'), old, old);
    const again = await both(dirs, 'two_plays.yml');
    expect(again.fleet).toMatch(/TASK \[Gathering Facts\] \*+\nok: \[h41\]\n\n/);
    expectSameCache(dirs);

    const forever = projects(`${SMART_JSONFILE}fact_caching_timeout = 0\n`, { 'two_plays.yml': TWO_PLAYS });
    await both(forever, 'two_plays.yml');
    for (const dir of [forever.ansible, forever.fleet]) utimesSync(join(cacheDir(dir), 'pre_h41'), old, old);
    expect((await both(forever, 'two_plays.yml')).fleet).not.toContain('Gathering Facts');
  });
});
