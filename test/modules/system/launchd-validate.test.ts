import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, validateProject } from '../../../src/validate/index.js';

describe('fleet validate knows launchd’s arguments', () => {
  it('the differential playbook has one bad argument, reported with the message ansible-playbook gave at run time', () => {
    const cwd = join(import.meta.dirname, 'launchd');
    const recorded = JSON.parse(readFileSync(join(cwd, 'launchd.json'), 'utf8')) as { results: { msg?: string }[] };
    const problems = validateProject({ paths: ['playbook.yml'], cwd, inventory: [], extraVars: ['fake_home=/home/mac'], env: {} }).problems;
    // Task r18 ("an unknown option value"), `state: running` at line 92.
    expect(problems.map((problem) => formatProblem(problem, cwd))).toEqual([`playbook.yml:92:39: ${recorded.results[17]?.msg ?? ''}`]);
  });
});
