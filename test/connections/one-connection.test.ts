import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, type Connection } from '../../src/connections/index.js';
import { ensureSandbox, sandboxHost, sandboxTarget } from '../support/sandbox.js';
import { sshdConnectionsFrom } from '../support/sockets.js';

describe('one SSH connection per host', () => {
  let connection: Connection;
  beforeAll(async () => {
    ensureSandbox();
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('runs hundreds of commands, file transfers and a timeout on a single sshd connection', async () => {
    const h2 = sandboxHost('h2');
    const served = () => sshdConnectionsFrom(process.pid, h2.address, h2.port);
    expect(served()).toBe(0);
    connection = await connectSsh(sandboxTarget('h2'));
    const shells = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const result = await connection.exec(`echo "$$"; exit $((${i} % 4))`);
      expect(result.rc).toBe(i % 4);
      shells.add(result.stdout);
    }
    await connection.put(Buffer.from('x'), 'one-connection.txt', 0o600);
    await connection.get('one-connection.txt');
    await connection.exec('sleep 5', { timeoutMs: 100 });
    expect(shells.size).toBe(1);
    expect(served()).toBe(1);
    await connection.close();
    // sshd tears its side down asynchronously after the client leaves.
    for (let i = 0; i < 50 && served() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(served()).toBe(0);
  });
});
