import { describe, expect, it } from 'vitest';
import type { ExecScript } from '../../../src/modules/remote.js';
import { getent } from '../../../src/modules/system/getent.js';
import { ping } from '../../../src/modules/system/ping.js';
import { loadCases, replay } from './differential.js';
import { localExec, runModule } from './harness.js';

describe('ping and getent match Ansible 2.14', () => {
  const { cases, expected } = loadCases('ping_getent');
  cases.forEach((testCase, index) => {
    it(testCase.name, () => replay(testCase, expected[index]!));
  });
});

describe('ping', () => {
  it('data=crash makes the host fail as ping.py raising Exception("boom") does', async () => {
    const result = await runModule(ping, { data: 'crash' });
    // ansible-playbook: failed, not changed, this msg and rc, and 'Exception: boom' in module_stdout + module_stderr.
    expect(result).toMatchObject({ failed: true, changed: false, msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error', rc: 1 });
    expect(`${String(result.module_stdout)}${String(result.module_stderr)}`).toContain('Exception: boom');
  });

  it('a host whose shell does not echo fails', async () => {
    const silent: ExecScript = async () => ({ rc: 0, stdout: '', stderr: '' });
    expect(await runModule(ping, {}, { exec: silent })).toMatchObject({ failed: true, msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error' });
  });
});

describe('getent', () => {
  it('without getent on the PATH (macOS) fails as get_bin_path does', async () => {
    // `environment: {PATH: /nonexistent}` under ansible-playbook on this machine.
    const noGetent: ExecScript = (script, options) => localExec(`PATH=/nonexistent\n${script}`, options);
    expect(await runModule(getent, { database: 'passwd', key: 'root' }, { exec: noGetent })).toEqual({
      failed: true,
      msg: 'Failed to find required executable "getent" in paths: /nonexistent:/sbin:/usr/sbin:/usr/local/sbin',
    });
  });

  it("split='' fails as getent.py's line.split('') raising ValueError does", async () => {
    expect(await runModule(getent, { database: 'passwd', key: 'root', split: '' })).toMatchObject({
      failed: true,
      msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error',
      module_stdout: '',
      rc: 1,
    });
  });
});
