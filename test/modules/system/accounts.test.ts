import { afterAll, describe, it } from 'vitest';
import { loadCases, replay } from './differential.js';
import { localExec } from './harness.js';

describe('group and user match Ansible 2.14', () => {
  const { cases, expected } = loadCases('accounts');
  cases.forEach((testCase, index) => {
    it(testCase.name, () => replay(testCase, expected[index]!));
  });
  afterAll(async () => {
    await localExec('userdel -r fleet-usertest 2>/dev/null; groupdel fleet-usertest 2>/dev/null; groupdel fleet-grptest 2>/dev/null; groupdel fleet-grptest2 2>/dev/null; rm -rf /tmp/fleet-usertest-home /tmp/fleet-user-canary; true');
  });
});
