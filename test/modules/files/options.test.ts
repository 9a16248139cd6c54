import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { copyModule } from '../../../src/modules/files/copy.js';
import { fileModule } from '../../../src/modules/files/file.js';
import { makeContext, runModule } from './harness.js';

// Options fleet does not implement fail the task before the host is touched, never silently.
test.each([
  ['file', fileModule, { state: 'directory', seuser: 'system_u' }],
  ['file', fileModule, { state: 'directory', attributes: '+i' }],
  ['copy', copyModule, { content: 'x', setype: 'etc_t' }],
  ['copy remote_src', copyModule, { src: '/etc/hostname', remote_src: true, selevel: 's0' }],
] as const)('%s refuses SELinux/chattr options', async (_name, def, args) => {
  const work = mkdtempSync(join(tmpdir(), 'fleet-opt-'));
  try {
    const target = join(work, 'target');
    const key = def === fileModule ? 'path' : 'dest';
    const result = await runModule(def, { ...args, [key]: target }, makeContext({ cwd: work, controllerDir: work }));
    expect(result).toMatchObject({ failed: true, changed: false, msg: expect.stringMatching(/^fleet does not support the \w+ option yet$/) });
    expect(existsSync(target)).toBe(false);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
