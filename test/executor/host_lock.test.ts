import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, type Connection } from '../../src/connections/index.js';
import { lockHost } from '../../src/executor/host_lock.js';
import { ensureSandbox, sandboxTarget } from '../support/sandbox.js';

/** h13: no other suite locks it. */
const HOST = 'h13';
let connection: Connection;

/** Leaves ~/.fleet-lock as a run whose shell is `pid` left it. */
async function lockedBy(pid: string): Promise<void> {
  await connection.exec(`rm -rf "$HOME/.fleet-lock" && mkdir "$HOME/.fleet-lock" && echo other-run > "$HOME/.fleet-lock/run" && echo ${pid} > "$HOME/.fleet-lock/pid"`);
}

describe('the host lock', () => {
  beforeAll(async () => {
    ensureSandbox(13);
    connection = await connectSsh(sandboxTarget(HOST));
  });
  afterAll(async () => {
    await connection.exec('rm -rf "$HOME/.fleet-lock"');
    await connection.close();
  });

  it('is refused while the shell holding it lives', async () => {
    const owner = (await connection.exec('sleep 30 >/dev/null 2>&1 & echo $!')).stdout.trim();
    await lockedBy(owner);
    await expect(lockHost(connection, 0, 'this-run')).rejects.toThrow(`another fleet run holds`);
    await connection.exec(`kill ${owner}`);
  });

  it('is taken over from a shell that exited but is not yet reaped (a zombie answers kill -0)', async () => {
    // `sleep 0` exits first and stays a zombie: its parent, exec'd into `sleep 30`, never reaps it.
    const zombie = (await connection.exec(`sh -c 'sleep 0 & echo $!; exec sleep 30' </dev/null 2>/dev/null & sleep 0.5`)).stdout.trim();
    expect((await connection.exec(`ps -o stat= -p ${zombie}`)).stdout).toMatch(/Z/);
    await lockedBy(zombie);
    await expect(lockHost(connection, 0, 'this-run')).resolves.toBeUndefined();
    expect((await connection.exec('cat "$HOME/.fleet-lock/run"')).stdout).toBe('this-run\n');
    await connection.exec('pkill -u "$(id -u)" -x sleep; rm -rf "$HOME/.fleet-lock"');
  });
});
