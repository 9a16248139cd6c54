import type { Test } from '../registry.js';
import { ansibleTests } from './ansible.js';
import { jinjaTests, knownTests } from './jinja.js';

/** Ansible's tests also answer to `ansible.builtin.NAME` and `ansible.legacy.NAME`; Jinja2's do not. */
const qualified = Object.fromEntries(
  Object.entries(ansibleTests).flatMap(([name, fn]) => [
    [`ansible.builtin.${name}`, fn],
    [`ansible.legacy.${name}`, fn],
  ]),
);

export const tests: Record<string, Test> = { ...jinjaTests, ...ansibleTests, ...qualified };

for (const name of Object.keys(tests)) knownTests.add(name);
