/**
 * ConnectionPool.recheck (after the inventory changed) on real sandbox sshds h63 and h64: an
 * open connection whose host still plans the same address, port and user is kept, one whose
 * host now plans another is replaced by a connection there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../src/executor/connection_pool.js';
import type { ConnectionPlan } from '../../src/executor/connection_vars.js';
import { ensureSandbox, sandboxTarget } from '../support/sandbox.js';

const at = (host: string, overrides: Parameters<typeof sandboxTarget>[1] = {}): (() => ConnectionPlan) => () => ({ kind: 'ssh', target: sandboxTarget(host, { host: 'mover', ...overrides }) });

describe('ConnectionPool.recheck', () => {
  let pool: ConnectionPool;

  beforeAll(() => {
    ensureSandbox(64);
    pool = new ConnectionPool(5);
  });
  afterAll(async () => {
    await pool.closeAll();
  });

  it('keeps a connection whose endpoint stayed, and moves one whose address and user changed', async () => {
    const first = await pool.get('mover', at('h63'));
    let planned = 0;
    const counted = (plan: () => ConnectionPlan) => () => ((planned += 1), plan());
    expect(await pool.get('mover', counted(at('h63')))).toBe(first);
    expect(planned).toBe(0);

    pool.recheck();
    // A changed connect timeout is no new endpoint (OpenSSH's ControlPath has address, port and user only).
    expect(await pool.get('mover', counted(at('h63', { connectTimeoutMs: 7000 })))).toBe(first);
    expect(planned).toBe(1);

    pool.recheck();
    const moved = await pool.get('mover', counted(at('h64')));
    expect(planned).toBe(2);
    expect(moved).not.toBe(first);
    expect((await moved.connection.exec('whoami')).stdout.trim()).toBe('fleet-h64');
    expect(await pool.get('mover', counted(at('h63')))).toBe(moved);
    expect(planned).toBe(2);
  }, 60_000);
});
