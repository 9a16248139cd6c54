import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { launchScript, statusScript } from '../../src/executor/async_job.js';
import { moduleCall, moduleScriptText } from '../../src/modules/remote.js';
import { parseRecords } from '../../src/shell/records.js';
import { Script, sh } from '../../src/shell/script.js';
import { localUserland } from '../modules/files/harness.js';

/**
 * The job's watcher on the host, with a 1 s step instead of async_wrapper's 5 s so the time
 * limit runs out quickly: it writes Ansible's timeout result and kills the job's processes.
 */
describe('async job scripts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-async-dir-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes "Timeout exceeded" and kills the job once its time limit is used up', async () => {
    // A sleep under a name of its own, so the check below finds this job's process and no other.
    const sleeper = join(dir, `fleet-async-test-sleep-${process.pid}`);
    symlinkSync(execFileSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).trim(), sleeper);
    const module = sh`${sleeper} 30`;
    const jobs = join(dir, 'jobs');
    const script = launchScript({ module, moduleName: 'shell', argsJson: '{}', asyncDir: jobs, limitSeconds: 1, stepSeconds: 1 });
    const text = moduleScriptText(script, localUserland());
    const nonce = /^fleet_rec=(\S+)$/m.exec(text)?.[1] ?? '';
    const started = Date.now();
    const launched = spawnSync('/bin/sh', ['-c', text], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // The launch returns at once: the job runs detached.
    expect(Date.now() - started).toBeLessThan(2000);
    const jid = parseRecords(launched.stdout, nonce).fields.get('jid')?.[0] ?? '';
    expect(jid).toMatch(/^j\d+\.\d+$/);
    expect(JSON.parse(readFileSync(join(jobs, jid), 'utf8'))).toEqual({ started: 1, finished: 0, ansible_job_id: jid });
    const jobSleeping = () => execFileSync('ps', ['-A', '-o', 'args='], { encoding: 'utf8' }).includes(sleeper);
    expect(jobSleeping()).toBe(true);
    // One step, then one more that uses the 1 s limit up.
    await sleep(3500);
    const timedOut = JSON.parse(readFileSync(join(jobs, jid), 'utf8')) as Record<string, unknown>;
    expect(timedOut).toMatchObject({ msg: 'Timeout exceeded', failed: true });
    expect(typeof timedOut.child_pid).toBe('number');
    expect(readdirSync(jobs)).toEqual([jid]);
    expect(jobSleeping()).toBe(false);
  });

  it('sends shellcheck-clean POSIX sh', () => {
    const module = Script.raw('sleep 1');
    const scripts = [launchScript({ module, moduleName: 'command', argsJson: `{"_raw_params": "it's"}`, asyncDir: '~/.ansible_async', limitSeconds: 3 }), statusScript('j1.2', 'status', '~/x'), statusScript('j1.2', 'cleanup', '/x')].map(
      (script) => moduleCall(script, localUserland()),
    );
    const check = (texts: string[], excluded: string) => {
      const paths = [...new Set(texts)].map((text, index) => {
        const path = join(dir, `check-${excluded.length}-${index}.sh`);
        writeFileSync(path, text);
        return path;
      });
      return spawnSync('shellcheck', ['-s', 'sh', '-e', excluded, ...paths], { encoding: 'utf8' });
    };
    // As test/modules/system/shellcheck.test.ts checks module scripts: a body reads what its libraries define.
    const libraries = check(scripts.flatMap((call) => call.libraries), 'SC2016,SC2034,SC2317');
    const bodies = check(scripts.map((call) => call.body), 'SC2016,SC2034,SC2154,SC2317');
    expect(libraries.stdout + bodies.stdout).toBe('');
    expect([libraries.status, bodies.status]).toEqual([0, 0]);
  });
});
