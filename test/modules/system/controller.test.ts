import { describe, expect, it } from 'vitest';
import { debug } from '../../../src/modules/system/debug.js';
import { setFact } from '../../../src/modules/system/set_fact.js';
import { loadCases, replay } from './differential.js';
import { runModule } from './harness.js';

describe('debug, set_fact, assert and fail match Ansible 2.14', () => {
  const { cases, expected } = loadCases('controller');
  cases.forEach((testCase, index) => {
    it(testCase.name, () => replay(testCase, expected[index]!));
  });
});

describe('debug', () => {
  it('explains an undefined variable from -v on, worded as `ansible localhost -v -m debug -a var=nope_x`', async () => {
    const result = await runModule(debug, { var: 'nope_x' }, { vars: { ansible_verbosity: 1 } });
    expect(result.nope_x).toBe("VARIABLE IS NOT DEFINED!: 'nope_x' is undefined. 'nope_x' is undefined");
  });
});

describe('set_fact', () => {
  it('marks facts cacheable as the action plugin does', async () => {
    expect((await runModule(setFact, { a: 1, cacheable: true }))._ansible_facts_cacheable).toBe(true);
    expect((await runModule(setFact, { a: 1 }))._ansible_facts_cacheable).toBe(false);
  });
});
