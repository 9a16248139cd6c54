/**
 * ConnectionPool.reset (meta: reset_connection) on a real sandbox sshd: the next use logs in
 * anew, and the run's host lock passes to the new shell before the old one goes, so no other
 * run can take the host in between. Runs on h69 (engineer D's hosts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionPool, type HostConnection } from '../../src/executor/connection_pool.js';
import { endpointOf } from '../../src/executor/connection_vars.js';
import { ensureSandbox, sandboxTarget } from '../support/sandbox.js';

const HOST = 'h69';
const plan = () => ({ kind: 'ssh' as const, target: sandboxTarget(HOST) });
const endpoint = () => endpointOf(plan());

/** The pid of the pooled connection's shell and the pid the host lock names. */
async function shellAndLock(connection: HostConnection): Promise<{ shell: string; lock: string }> {
  const result = await connection.connection.exec('echo $$; cat "$HOME/.fleet-lock/pid"');
  const [shell = '', lock = ''] = result.stdout.trim().split('\n');
  return { shell, lock };
}

describe('ConnectionPool.reset', () => {
  let pool: ConnectionPool;

  beforeAll(() => {
    ensureSandbox(69);
    pool = new ConnectionPool(5);
  });
  afterAll(async () => {
    await pool.closeAll();
  });

  it('opens a new connection on the next use, which takes over the host lock; the old one is closed', async () => {
    const first = await pool.get(HOST, plan, endpoint);
    const before = await shellAndLock(first);
    expect(before.lock).toBe(before.shell);

    pool.reset(HOST);
    const second = await pool.get(HOST, plan, endpoint);
    expect(second).not.toBe(first);
    const after = await shellAndLock(second);
    expect(after.shell).not.toBe(before.shell);
    expect(after.lock).toBe(after.shell);
    // The old shell ends once its connection is closed, shortly after the new one is ready.
    const oldGone = `i=0; while kill -0 ${before.shell} 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done; kill -0 ${before.shell} 2>/dev/null && echo alive || echo gone`;
    expect((await second.connection.exec(oldGone)).stdout.trim()).toBe('gone');
    expect(await pool.get(HOST, plan, endpoint)).toBe(second);
  }, 60_000);

  it('does nothing to a host it holds no connection for', async () => {
    pool.reset('h-never-connected');
    const current = await pool.get(HOST, plan, endpoint);
    pool.reset('h-never-connected');
    expect(await pool.get(HOST, plan, endpoint)).toBe(current);
  }, 30_000);
});
