import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobBatch } from '../support/both_tools.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { hasAnsible } from '../apply/support.js';

/**
 * The exit code of a run that stops while loading, beside ansible-playbook 2.14's for the
 * same input: 4 for a file that is malformed (AnsibleParserError), 1 for one that is missing
 * or cannot be used (AnsibleError). Both run on `localhost,` with the local connection. The
 * comparisons' runs are made before the tests, ansible-playbook's in one batched process.
 */
const work = mkdtempSync(join(tmpdir(), 'fleet-exit-codes-'));
const fleetBin = join(fleetBinDir(), 'fleet');
const env = { ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1' };
// An inventory no plugin parses stops the run under this setting (else both warn and run no host).
const strictInventory = { ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true' };

const files: Record<string, string> = {
  'ok.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=a\n',
  'yaml-syntax.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=a\n     - debug: msg=b\n',
  'conflicting-actions.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=a\n      bogus: 1\n',
  'unknown-keyword.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=a\n      listen: x\n',
  'unknown-module.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - nosuchmodule: a=1\n',
  'missing-role.yml': '- hosts: all\n  gather_facts: false\n  roles:\n    - nope\n',
  'missing-import.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - import_tasks: nothere.yml\n',
  'missing-vars-file.yml': '- hosts: all\n  gather_facts: false\n  vars_files: [nothere.yml]\n  tasks:\n    - debug: msg=a\n',
  'missing-vars-file-candidates.yml': '- hosts: all\n  gather_facts: false\n  vars_files: [[nothere.yml, "{{ inventory_hostname }}.yml"]]\n  tasks:\n    - debug: msg=a\n',
  'bad-group-vars/hosts': 'localhost\n',
  'bad-group-vars/group_vars/all.yml': 'a: [1\n',
  'bad-vars.yml': 'a: [1\n',
  'bad-inventory.yml': 'all:\n  hosts:\n    a: [\n',
  'bad-inventory.ini': '[web\nh1\n',
};

const cases: { name: string; args: string[]; code: number; settings?: Record<string, string> }[] = [
  { name: 'a YAML syntax error', args: ['yaml-syntax.yml'], code: 4 },
  { name: 'two actions in a task', args: ['conflicting-actions.yml'], code: 4 },
  { name: 'a keyword a task does not have', args: ['unknown-keyword.yml'], code: 4 },
  { name: 'an unknown module', args: ['unknown-module.yml'], code: 4 },
  { name: 'a missing role', args: ['missing-role.yml'], code: 1 },
  { name: 'a missing import_tasks file', args: ['missing-import.yml'], code: 1 },
  { name: 'a missing vars_files file', args: ['missing-vars-file.yml'], code: 1 },
  { name: 'group_vars that do not parse', args: ['-i', 'bad-group-vars/hosts', 'ok.yml'], code: 4 },
  { name: '-e @file that does not parse', args: ['-e', '@bad-vars.yml', 'ok.yml'], code: 4 },
  { name: '-e with YAML that does not parse', args: ['-e', '{bad', 'ok.yml'], code: 4 },
  { name: '-e @file that is missing', args: ['-e', '@missing.yml', 'ok.yml'], code: 1 },
  { name: 'a YAML inventory that does not parse', args: ['-i', 'bad-inventory.yml', 'ok.yml'], code: 1, settings: strictInventory },
  { name: 'an INI inventory that does not parse', args: ['-i', 'bad-inventory.ini', 'ok.yml'], code: 1, settings: strictInventory },
];

const withInventory = (args: string[]) => ['-c', 'local', ...(args.includes('-i') ? args : ['-i', 'localhost,', ...args])];

function run(program: string, args: string[], moreEnv: Record<string, string> = {}) {
  return spawnSync(program, [...(program === fleetBin ? ['apply'] : []), ...withInventory(args)], { cwd: work, encoding: 'utf8', env: { ...env, ...moreEnv } });
}

const batch = jobBatch(fleetBin);
const job = (args: string[], settings: Record<string, string> = {}) => batch.add({ args: withInventory(args), cwd: work, env: { ...env, ...settings } });

describe.skipIf(!hasAnsible())('a run that stops while loading exits as ansible-playbook exits', () => {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(work, path, '..'), { recursive: true });
    writeFileSync(join(work, path), text);
  }
  beforeAll(() => batch.run(), 600_000);

  it.each(cases.map((testCase) => ({ ...testCase, runs: job(testCase.args, testCase.settings) })))('$name: exit $code', ({ code, runs }) => {
    const { ansible: theirs, fleet: ours } = runs();
    expect(theirs.status, theirs.stderr).toBe(code);
    expect(ours.status, ours.stderr).toBe(code);
    // Stopped at the same point: nothing, or the play's banner when its vars files are loaded.
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stdout).not.toContain('PLAY RECAP');
    expect(ours.stderr).toMatch(/^ERROR! /m);
  });

  // A playbook is checked before anything is loaded (before a --limit that matches nothing, too); a vars file as the play starts.
  it.each([
    { name: 'a playbook that is not there', args: ['nothere.yml', 'ok.yml'] },
    { name: 'a playbook that is a directory', args: ['bad-group-vars'] },
    { name: 'a missing playbook beside a --limit that matches nothing', args: ['-l', 'nomatch', 'nothere.yml'] },
    { name: 'a vars_files file that is not there', args: ['missing-vars-file.yml'] },
    { name: 'vars_files candidates none of which is there', args: ['missing-vars-file-candidates.yml'] },
  ].map((testCase) => ({ ...testCase, runs: job(testCase.args) })))('$name: the same output and exit 1', ({ runs }) => {
    const { ansible: theirs, fleet: ours } = runs();
    expect(theirs.status).toBe(1);
    expect(ours.status).toBe(1);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stderr).toBe(theirs.stderr);
  });

  it('the history ledger records a malformed file as an error with its exit code, not as an unreachable host', () => {
    const ledger = { FLEET_HISTORY_DB: join(work, 'history.db') };
    expect(run(fleetBin, ['yaml-syntax.yml'], ledger).status).toBe(4);
    const listed = spawnSync(fleetBin, ['history', '--json'], { cwd: work, encoding: 'utf8', env: { ...env, ...ledger } });
    const [recorded] = JSON.parse(listed.stdout) as { exitCode: number; result: string }[];
    expect(recorded).toMatchObject({ exitCode: 4, result: 'error' });
  }, 60_000);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(join(fleetBin, '..'), { recursive: true, force: true });
});
