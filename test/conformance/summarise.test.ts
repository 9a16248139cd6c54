import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// scripts/conformance.sh reads each run's output as ansible-playbook (and fleet) print it;
// these logs are written in that format to pin how a row's columns are derived.
const script = join(import.meta.dirname, '../../scripts/conformance.sh');
const dir = mkdtempSync(join(tmpdir(), 'conformance-test.'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function summarise(log: string): string {
  const file = join(dir, 'run.out');
  writeFileSync(file, log);
  return execFileSync('bash', [script, '--summarise', file], {
    encoding: 'utf8',
    env: { ...process.env, CONFORMANCE_HOST: '5' },
  }).trimEnd();
}

const recap = (ok: number, changed: number, failed: number) =>
  `PLAY RECAP *****\nh5                         : ok=${ok}    changed=${changed}    unreachable=0    failed=${failed}    skipped=0    rescued=0    ignored=1   \n`;

describe('conformance.sh --summarise', () => {
  it('reads the counts of a passing run and names no task', () => {
    const log = 'TASK [t : a] *****\nfatal: [h5]: FAILED! => {"changed": false, "msg": "boom"}\n...ignoring\n\n' + recap(7, 2, 0);
    expect(summarise(log)).toBe('7 | 2 | 0 | 0 |');
  });

  it('skips ignored failures and names the one that stopped the host, with its msg', () => {
    const log = [
      'TASK [t : expected failure] *****',
      'fatal: [h5]: FAILED! => {"changed": false, "msg": "ignored one"}',
      '...ignoring',
      '',
      'TASK [t : real failure] *****',
      'fatal: [h5]: FAILED! => {"changed": false, "msg": "a \\"quoted\\" word\\nsecond line"}',
      '',
      recap(3, 1, 1),
    ].join('\n');
    expect(summarise(log)).toBe('3 | 1 | 1 | 0 | t : real failure: a \\"quoted\\" word');
  });

  it("joins assert's multi-line result and shows the assertion", () => {
    const log = [
      'TASK [t : check] *****',
      'fatal: [h5]: FAILED! => {',
      '    "assertion": "x == 1",',
      '    "changed": false,',
      '    "evaluated_to": false,',
      '    "msg": "Assertion failed"',
      '}',
      '',
      recap(4, 0, 1),
    ].join('\n');
    expect(summarise(log)).toBe('4 | 0 | 1 | 0 | t : check: Assertion failed: x == 1');
  });

  it('takes the first failed loop item, and escapes | for the Markdown table', () => {
    const log = [
      'TASK [t : loop] *****',
      'failed: [h5] (item=a) => {"ansible_loop_var": "item", "item": "a", "msg": "bad | item a"}',
      'ok: [h5] => (item=b)',
      'failed: [h5] (item=c) => {"ansible_loop_var": "item", "item": "c", "msg": "bad item c"}',
      '',
      recap(1, 0, 1),
    ].join('\n');
    expect(summarise(log)).toBe('1 | 0 | 1 | 0 | t : loop: bad \\| item a');
  });

  it("names the first failure, not a clean-up in always: that failed after it", () => {
    const log = [
      'TASK [t : create user] *****',
      'fatal: [h5]: FAILED! => {"changed": false, "msg": "useradd: Permission denied."}',
      '',
      'TASK [t : remove user] *****',
      'fatal: [h5]: FAILED! => {"msg": "\'tempdir\' is undefined"}',
      '',
      recap(9, 1, 2),
    ].join('\n');
    expect(summarise(log)).toBe('9 | 1 | 2 | 0 | t : create user: useradd: Permission denied.');
  });

  it('skips as many failures as the recap says were rescued', () => {
    const log = [
      'TASK [t : in block] *****',
      'fatal: [h5]: FAILED! => {"changed": false, "msg": "rescued one"}',
      '',
      'TASK [t : later] *****',
      'fatal: [h5]: FAILED! => {"changed": false, "msg": "the real one"}',
      '',
      recap(5, 0, 1).replace('rescued=0', 'rescued=1'),
    ].join('\n');
    expect(summarise(log)).toBe('5 | 0 | 1 | 0 | t : later: the real one');
  });

  it('reports no counts when the run stopped before the recap', () => {
    expect(summarise("ERROR! couldn't resolve module/action 'find'\n")).toBe('- | - | - | - |');
  });
});
