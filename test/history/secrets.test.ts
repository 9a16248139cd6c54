import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import { applyPlaybooks } from '../../src/executor/run_playbooks.js';
import { historyDatabasePath, openHistoryDatabase } from '../../src/history/database.js';
import { recordRun } from '../../src/history/record_run.js';
import { DefaultTextSink } from '../../src/output/default_text.js';
import { SecretRegistry } from '../../src/secrets/registry.js';
import { fleet, makeProject, workDir } from './project.js';

const NO_LOG_SECRET = 'nolog-secret-A1b2c3';
const REGISTERED_SECRET = 'registered-secret-Z9y8x7';

const SITE = `- hosts: web1
  gather_facts: false
  vars:
    hidden: ${NO_LOG_SECRET}
    vaulted: ${REGISTERED_SECRET}
  tasks:
    - name: make the work dir
      file: path="{{ work }}" state=directory
    - name: write the secret
      copy:
        dest: "{{ work }}/secret"
        content: "{{ hidden }}\\n"
      no_log: true
      register: written
    - name: echo items, some of them secret
      command: echo "{{ item.text }}"
      loop:
        - { hide: true, text: "{{ hidden }}" }
        - { hide: false, text: public }
      no_log: "{{ item.hide }}"
    - name: fail with the secret in the message
      fail:
        msg: "bad {{ hidden }}"
      no_log: true
      ignore_errors: true
    - name: "announce {{ vaulted }}"
      debug:
        msg: "the vault says {{ vaulted }}"
`;

describe('history ledger and secrets', () => {
  let project: string;
  let output = '';

  beforeAll(async () => {
    project = makeProject({ 'site.yml': SITE });
    const env = { ...process.env, ANSIBLE_TIMEOUT: '5' };
    const options = applyOptionsFrom(['site.yml'], { inventory: [join(project, 'inventory.yml')], tags: [], skipTags: [], extraVars: [], verbose: 0, diff: true }, env, project);
    const secrets = new SecretRegistry();
    secrets.add(REGISTERED_SECRET);
    // A second connection stays open through the run, so the WAL is not checkpointed away before the test reads it.
    const reader = openHistoryDatabase(historyDatabasePath(project, env));
    const sink = new DefaultTextSink({ write: (text) => (output += text), writeError: (text) => (output += text), color: false, verbosity: 0, terminalWidth: 0 });
    const run = { command: 'apply', cwd: project, env, argv: ['apply', 'site.yml', '--diff'], playbooks: options.playbooks, check: false, diff: true, verbosity: 0, secrets };
    const result = await recordRun(run, sink, (events) => applyPlaybooks(options, events));
    expect(result.exitCode, output).toBe(0);
    ledgerBytes = ['', '-wal', '-shm'].map((suffix) => historyDatabasePath(project, env) + suffix).filter(existsSync).map((file) => readFileSync(file));
    walBytes = readFileSync(`${historyDatabasePath(project, env)}-wal`).length;
    reader.close();
  }, 120_000);

  let ledgerBytes: Buffer[] = [];
  let walBytes = 0;

  it('ran the secret tasks, and the operator saw neither secret', () => {
    expect(readFileSync(join(workDir(project), 'web1', 'secret'), 'utf8')).toBe(`${NO_LOG_SECRET}\n`);
    expect(output).toContain('changed: [web1] => (item=None)');
    // As ansible-playbook 2.14 prints it: one item censored, so the whole loop result is too.
    expect(output).toContain("changed: [web1] => (item={'hide': False, 'text': 'public'})\nchanged: [web1]\n");
    expect(output).not.toContain(NO_LOG_SECRET);
  });

  it('stores neither the no_log secret nor the registered secret, in the database or its WAL', () => {
    expect(walBytes).toBeGreaterThan(0);
    const text = Buffer.concat(ledgerBytes).toString('latin1');
    expect(text).toContain('censored');
    expect(text).toContain('the vault says ********');
    expect(text).not.toContain(NO_LOG_SECRET);
    expect(text).not.toContain(REGISTERED_SECRET);
  });
});

describe('history ledger and vault values', () => {
  const VAULTED = 'vaulted-plaintext-Q5w6e7';

  it('masks what a vaulted vars file decrypts to, given by --vault-password-file', async () => {
    const project = makeProject({
      'site.yml': `- hosts: web1\n  gather_facts: false\n  vars_files: [secret.yml]\n  tasks:\n    - name: say it\n      debug:\n        msg: "the token is {{ token }}"\n`,
      'secret.yml': `token: ${VAULTED}\n`,
      'password': 'correct horse\n',
    });
    execFileSync('/usr/bin/ansible-vault', ['encrypt', '--vault-password-file', join(project, 'password'), join(project, 'secret.yml')], { stdio: 'ignore' });
    const applied = await fleet(project, ['apply', '-i', 'inventory.yml', 'site.yml', '--vault-password-file', 'password']);
    expect(applied.status, applied.stderr).toBe(0);
    // ansible-playbook prints what a task prints; only the ledger masks it.
    expect(applied.stdout).toContain(`the token is ${VAULTED}`);
    const ledger = join(project, '.fleet', 'history.db');
    const bytes = Buffer.concat(['', '-wal'].map((suffix) => ledger + suffix).filter(existsSync).map((file) => readFileSync(file))).toString('latin1');
    expect(bytes).toContain('the token is ********');
    expect(bytes).not.toContain(VAULTED);
  }, 120_000);
});
