import { afterAll, describe, it } from 'vitest';
import { loadCases, replay } from './differential.js';
import { localExec } from './harness.js';

describe('cron matches Ansible 2.14', () => {
  const { cases, expected } = loadCases('cron');
  cases.forEach((testCase, index) => {
    it(testCase.name, () => replay(testCase, expected[index]!));
  });
  afterAll(async () => {
    await localExec('crontab -r -u fleet-crontest 2>/dev/null; userdel fleet-crontest; rm -rf /tmp/fleet-sys-cron /etc/cron.d/fleet-sys-test.cron');
  });
});
