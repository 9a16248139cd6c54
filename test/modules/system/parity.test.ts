import { describe, it } from 'vitest';
import { loadCases, replay } from './differential.js';

for (const file of ['command', 'shell', 'run', 'wait', 'packages', 'git']) {
  describe(`${file} matches Ansible 2.14`, () => {
    const { cases, expected } = loadCases(file);
    cases.forEach((testCase, index) => {
      it(testCase.name, () => replay(testCase, expected[index]!));
    });
  });
}
