import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasAnsible } from '../apply/support.js';
import { ansiblePlaybookRuns, type PlaybookJob, type PlaybookRun } from './ansible_playbook_runs.js';

/**
 * The batched runs tests compare fleet with print and exit exactly as `ansible-playbook` run on
 * its own: a run at -v that fails a task after a module's interpreter discovery and a warning,
 * and a run under settings of its own (an ANSIBLE_* variable and an ansible.cfg in its cwd,
 * which Ansible reads as it is imported) that hide what the first run shows.
 */
const work = mkdtempSync(join(tmpdir(), 'fleet-ansible-runs-'));
const env = { ...process.env, ANSIBLE_NOCOLOR: '1' };
writeFileSync(
  join(work, 'fails.yml'),
  '- hosts: nomatch\n  tasks: []\n- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=a\n      when: false\n    - debug: msg=b\n    - command: echo hi\n    - fail: msg=no\n    - debug: msg=after\n',
);
const configured = join(work, 'configured');
const ownSettings = { ...env, ANSIBLE_DISPLAY_SKIPPED_HOSTS: 'false' };
mkdirSync(configured);
writeFileSync(join(configured, 'ansible.cfg'), '[defaults]\ndisplay_ok_hosts = false\n');

const jobs: PlaybookJob[] = [
  { args: ['-v', '-i', 'localhost,', '-c', 'local', 'fails.yml'], cwd: work, env },
  { args: ['-i', 'localhost,', '-c', 'local', '../fails.yml'], cwd: configured, env: ownSettings },
];

function ansiblePlaybook({ args, cwd, env: jobEnv }: PlaybookJob): Promise<PlaybookRun> {
  return new Promise((resolve) => {
    const child = execFile('ansible-playbook', args, { cwd, env: jobEnv, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/** A command result's times differ from run to run. */
const timeless = (run: PlaybookRun): PlaybookRun => ({ ...run, stdout: run.stdout.replace(/"(start|end|delta)": "[^"]*"/g, '"$1": "…"') });

describe.skipIf(!hasAnsible())('ansiblePlaybookRuns', () => {
  it('gives each run the status, stdout and stderr ansible-playbook gives on its own', async () => {
    const [batched, ...alone] = await Promise.all([ansiblePlaybookRuns(jobs), ...jobs.map(ansiblePlaybook)]);
    expect(batched?.map(timeless)).toEqual(alone.map(timeless));
    // The cases differ where they should: each setting took effect in its own run only.
    const [verbose, ownSettingsRun] = alone;
    expect(verbose?.status).toBe(2);
    expect(verbose?.stderr).toContain('[WARNING]: Could not match supplied host pattern');
    expect(verbose?.stdout).toContain('discovered_interpreter_python');
    expect(verbose?.stdout).toMatch(/^skipping: \[/m);
    expect(verbose?.stdout).toMatch(/^ok: \[/m);
    expect(ownSettingsRun?.stdout).not.toMatch(/^(skipping|ok): \[/m);
    expect(ownSettingsRun?.stdout).toMatch(/^fatal: /m);
  }, 60_000);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));
