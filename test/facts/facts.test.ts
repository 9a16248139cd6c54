import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { factsScript, gatherFacts } from '../../src/facts/index.js';
import type { ExecScript } from '../../src/modules/remote.js';
import { inlineLibraries } from '../../src/shell/libraries.js';
import { fromPy, PyDict } from '../../src/template/values.js';
import { localExec, localUserland, runModule } from '../modules/system/harness.js';
import { setup } from '../../src/modules/system/setup.js';
import { prelude } from '../../src/shell/prelude.js';

// Facts whose values are stable between two gatherings a second apart on one machine.
const STABLE = [
  'hostname', 'nodename', 'fqdn', 'domain', 'system', 'kernel', 'kernel_version', 'machine', 'architecture',
  'userspace_bits', 'userspace_architecture', 'machine_id', 'distribution', 'distribution_version',
  'distribution_major_version', 'distribution_release', 'os_family', 'user_id', 'user_uid', 'user_gid',
  'user_gecos', 'user_dir', 'user_shell', 'real_user_id', 'effective_user_id', 'real_group_id',
  'effective_group_id', 'processor', 'processor_count', 'processor_cores', 'processor_threads_per_core',
  'processor_vcpus', 'processor_nproc', 'memtotal_mb', 'swaptotal_mb', 'default_ipv4', 'all_ipv4_addresses',
  'lsb', 'selinux', 'pkg_mgr', 'service_mgr',
];
const DATE_TIME_STABLE = ['tz', 'tz_dst', 'tz_offset', 'year'];

async function ansibleSetup(): Promise<Record<string, unknown> | null> {
  const result = await execa('ansible', ['localhost', '-c', 'local', '-m', 'setup', '-e', 'ansible_python_interpreter=/usr/bin/python3'], {
    reject: false,
    env: { ANSIBLE_LOCALHOST_WARNING: '0', ANSIBLE_NOCOLOR: '1' },
  }).catch(() => null);
  if (!result || result.exitCode !== 0) return null;
  return (JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as { ansible_facts: Record<string, unknown> }).ansible_facts;
}

describe('facts', () => {
  it("match `ansible localhost -m setup` on this machine for every stable fact fleet gathers", async (context) => {
    const ansible = await ansibleSetup();
    if (!ansible) return context.skip();
    const fleet = fromPy(await gatherFacts(localExec, await localUserland())) as Record<string, Record<string, unknown>>;
    for (const key of STABLE) expect.soft(fleet[key], key).toEqual(ansible[`ansible_${key}`]);
    const ansibleDate = ansible.ansible_date_time as Record<string, string>;
    expect(Object.keys(fleet.date_time!).sort()).toEqual(Object.keys(ansibleDate).sort());
    for (const key of DATE_TIME_STABLE) expect.soft(fleet.date_time![key], `date_time.${key}`).toEqual(ansibleDate[key]);
    expect(Number(fleet.date_time!.epoch) - Number(ansibleDate.epoch)).toBeLessThan(60);
    expect(fleet.env!.HOME).toEqual((ansible.ansible_env as Record<string, string>).HOME);
  });

  it('date_time fields describe one instant', async () => {
    const facts = fromPy(await gatherFacts(localExec, await localUserland())) as Record<string, Record<string, string>>;
    const dt = facts.date_time!;
    expect(dt.iso8601).toBe(new Date(Number(dt.epoch) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'));
    expect(dt.iso8601_basic_short).toBe(`${dt.year}${dt.month}${dt.day}T${dt.hour}${dt.minute}${dt.second}`);
    expect(dt.iso8601_micro).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('keeps environment values with newlines and quotes intact', async () => {
    const exec: ExecScript = (script, options = {}) =>
      execa('sh', [], { input: inlineLibraries(script, options.libraries), reject: false, env: { FLEET_ODD: "a\nb='c' $(x)" } }).then((result) => ({ rc: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr }));
    const facts = await gatherFacts(exec, await localUserland());
    expect((facts.get('env') as PyDict).get('FLEET_ODD')).toBe("a\nb='c' $(x)");
  });

  it('setup returns ansible_-prefixed facts and applies filter', async () => {
    const result = await runModule(setup, { filter: ['ansible_distribution*', 'ansible_os_family'] });
    const facts = result.ansible_facts as PyDict;
    // The filter applies to gather_subset and module_setup too (AnsibleFactCollector._filter).
    expect([...facts.keys()].sort()).toEqual([
      'ansible_distribution', 'ansible_distribution_file_parsed', 'ansible_distribution_file_path', 'ansible_distribution_file_variety',
      'ansible_distribution_major_version', 'ansible_distribution_minor_version', 'ansible_distribution_release',
      'ansible_distribution_version', 'ansible_os_family',
    ]);
  });

  it('the facts script passes shellcheck', async () => {
    const script = `${prelude(await localUserland())}\n${factsScript(await localUserland())}`;
    const result = await execa('shellcheck', ['-s', 'sh', '-e', 'SC2034,SC2317', '-'], { input: script, reject: false });
    expect(result.stdout).toBe('');
  });
});
