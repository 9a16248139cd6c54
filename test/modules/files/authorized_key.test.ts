import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { authorizedKeyModule } from '../../../src/modules/files/authorized_key.js';
import { differentialSuite } from './differential.js';
import { makeContext, runModule } from './harness.js';

differentialSuite('authorized_key', { authorized_key: authorizedKeyModule });

// The module fetches a `key` that starts with "http" on the host; fleet fetches nothing.
test('authorized_key: a key given as a URL is refused, nothing fetched or written', async () => {
  const root = mkdtempSync(join(tmpdir(), 'fleet-ak-'));
  try {
    const ctx = makeContext({ cwd: root, controllerDir: root });
    const result = await runModule(authorizedKeyModule, { user: 'root', path: join(root, 'ak'), key: 'https://localhost:1/keys' }, ctx);
    expect(result).toMatchObject({ failed: true, changed: false });
    expect(result.msg).toContain('fleet does not fetch authorized keys from URLs (https://localhost:1/keys)');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
