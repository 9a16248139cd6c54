import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { launchScript } from '../../src/executor/async_job.js';
import { moduleScriptText } from '../../src/modules/remote.js';
import { parseRecords } from '../../src/shell/records.js';
import { Script } from '../../src/shell/script.js';
import { localUserland } from '../modules/files/harness.js';

/**
 * The job's watcher on the host, with a 1 s step instead of async_wrapper's 5 s so the time
 * limit runs out quickly: it writes Ansible's timeout result and kills the job's processes.
 */
describe('async job watcher', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-async-dir-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes "Timeout exceeded" and kills the job once its time limit is used up', async () => {
    const marker = `fleet-async-test-${process.pid}`;
    const module = Script.raw(`sleep 30 && echo ${marker}`);
    const script = launchScript({ module, moduleName: 'shell', argsJson: '{}', asyncDir: dir, limitSeconds: 1, stepSeconds: 1 });
    const text = moduleScriptText(script, localUserland());
    const nonce = /^fleet_rec=(\S+)$/m.exec(text)?.[1] ?? '';
    const started = Date.now();
    const launched = spawnSync('/bin/sh', ['-c', text], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // The launch returns at once: the job runs detached.
    expect(Date.now() - started).toBeLessThan(2000);
    const jid = parseRecords(launched.stdout, nonce).fields.get('jid')?.[0] ?? '';
    expect(jid).toMatch(/^j\d+\.\d+$/);
    expect(JSON.parse(readFileSync(join(dir, jid), 'utf8'))).toEqual({ started: 1, finished: 0, ansible_job_id: jid });
    const jobSleeping = () => execFileSync('ps', ['-A', '-o', 'args='], { encoding: 'utf8' }).split('\n').some((line) => line.startsWith('sleep 30'));
    expect(jobSleeping()).toBe(true);
    // One step, then one more that uses the 1 s limit up.
    await sleep(3500);
    const timedOut = JSON.parse(readFileSync(join(dir, jid), 'utf8')) as Record<string, unknown>;
    expect(timedOut).toMatchObject({ msg: 'Timeout exceeded', failed: true });
    expect(typeof timedOut.child_pid).toBe('number');
    expect(readdirSync(dir)).toEqual([jid]);
    expect(jobSleeping()).toBe(false);
  });
});
