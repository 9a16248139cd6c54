import { afterAll, beforeAll, describe, it } from 'vitest';
import { loadCases, replay } from './differential.js';
import { localExec, PLAYBOOK_DIR } from './harness.js';

// The host here has no running systemd: a stand-in systemctl (data/fake-bin) answers both
// Ansible (when the fixtures were recorded) and fleet.
describe('systemd and service match Ansible 2.14 (stand-in systemctl)', () => {
  const originalPath = process.env.PATH;
  beforeAll(() => {
    process.env.PATH = `${PLAYBOOK_DIR}/fake-bin:${originalPath}`;
  });
  afterAll(async () => {
    process.env.PATH = originalPath;
    await localExec('rm -rf /tmp/fleet-fake-systemd');
  });
  const { cases, expected } = loadCases('systemd');
  cases.forEach((testCase, index) => {
    it(testCase.name, () => replay(testCase, expected[index]!));
  });
});
