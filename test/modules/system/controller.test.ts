import { describe, expect, it } from 'vitest';
import { setFact } from '../../../src/modules/system/set_fact.js';
import { loadCases, replay } from './differential.js';
import { runModule } from './harness.js';

describe('debug, set_fact, assert and fail match Ansible 2.14', () => {
  const { cases, expected } = loadCases('controller');
  cases.forEach((testCase, index) => {
    it(testCase.name, () => replay(testCase, expected[index]!));
  });
});

describe('set_fact', () => {
  it('marks facts cacheable as the action plugin does', async () => {
    expect((await runModule(setFact, { a: 1, cacheable: true }))._ansible_facts_cacheable).toBe(true);
    expect((await runModule(setFact, { a: 1 }))._ansible_facts_cacheable).toBe(false);
  });
});
