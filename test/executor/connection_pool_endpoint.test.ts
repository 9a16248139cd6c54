/**
 * ConnectionPool.get asks where a host's connection variables lead on every use (real sandbox
 * sshds h63 and h64): an open connection whose host still plans the same address, port and
 * user is kept without a new plan, one whose host now leads elsewhere is replaced by a
 * connection there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../src/executor/connection_pool.js';
import { endpointOf, type ConnectionPlan } from '../../src/executor/connection_vars.js';
import { ensureSandbox, sandboxTarget } from '../support/sandbox.js';

const at = (host: string, overrides: Parameters<typeof sandboxTarget>[1] = {}): (() => ConnectionPlan) => () => ({ kind: 'ssh', target: sandboxTarget(host, { host: 'mover', ...overrides }) });

describe('ConnectionPool.get', () => {
  let pool: ConnectionPool;

  beforeAll(() => {
    ensureSandbox(64);
    pool = new ConnectionPool(5);
  });
  afterAll(async () => {
    await pool.closeAll();
  });

  it('keeps a connection whose endpoint stayed, and moves one whose address and user changed', async () => {
    let planned = 0;
    const get = (plan: () => ConnectionPlan) => pool.get('mover', () => ((planned += 1), plan()), () => endpointOf(plan()));
    const first = await get(at('h63'));
    expect(planned).toBe(1);
    expect(await get(at('h63'))).toBe(first);
    // A changed connect timeout is no new endpoint (OpenSSH's ControlPath has address, port and user only).
    expect(await get(at('h63', { connectTimeoutMs: 7000 }))).toBe(first);
    expect(planned).toBe(1);

    const moved = await get(at('h64'));
    expect(planned).toBe(2);
    expect(moved).not.toBe(first);
    expect((await moved.connection.exec('whoami')).stdout.trim()).toBe('fleet-h64');
    expect(await get(at('h64'))).toBe(moved);
    const back = await get(at('h63'));
    expect(planned).toBe(3);
    expect((await back.connection.exec('whoami')).stdout.trim()).toBe('fleet-h63');
  }, 60_000);
});
