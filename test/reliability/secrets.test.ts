/**
 * A vault-encrypted variable used by no_log tasks on a real host: the secret appears in
 * none of stdout, stderr, the --json report, the history database, or the host's disk.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHost } from '../support/sandbox.js';
import { reliabilityHosts, runFleet, scratchDir, writeInventory } from './support.js';

const SECRET = `s3cret-${process.pid}-${Date.now()}`;

let host: SandboxHost;
let project: string;

beforeAll(() => {
  host = reliabilityHosts()[2] as SandboxHost;
  project = scratchDir('secrets');
  rmSync(join(host.home, 'secrets'), { recursive: true, force: true });
});

/** Every place a secret could be left behind, searched as bytes (grep -r over the host's home). */
function hostFilesWith(text: string): string {
  try {
    return execFileSync('grep', ['-rlF', '--', text, host.home], { encoding: 'utf8' });
  } catch {
    return ''; // grep exits 1 when nothing matches
  }
}

describe('secrets stay secret', () => {
  it('a vaulted var used by no_log tasks appears nowhere: stdout, stderr, --json, history db, host disk', async () => {
    writeFileSync(join(project, 'vault-pass'), 'correct horse battery staple\n');
    const vaulted = (await runFleet(['vault', 'encrypt_string', '--vault-password-file', 'vault-pass', '--name', 'db_password', SECRET], { cwd: project })).stdout;
    expect(vaulted).toContain('$ANSIBLE_VAULT;1.1;AES256');
    writeFileSync(join(project, 'secrets.yml'), vaulted);
    const inventory = writeInventory(project, [{ ...host, name: 's1' }]);
    writeFileSync(
      join(project, 'site.yml'),
      `- hosts: all
  gather_facts: false
  vars_files: [secrets.yml]
  tasks:
  - file: { path: ~/secrets, state: directory }
  - name: use the secret in a command
    shell: "test -n {{ db_password | quote }} && echo used > ~/secrets/used"
    no_log: true
  - name: show the secret
    debug: { msg: "{{ db_password }}" }
    no_log: true
  - name: a failing task with the secret
    command: "false {{ db_password }}"
    no_log: true
    ignore_errors: true
  - name: register it
    set_fact: { copy_of_secret: "{{ db_password }}" }
    no_log: true
`,
    );
    const text = await runFleet(['apply', '-i', inventory, '--vault-password-file', 'vault-pass', 'site.yml', '-vvv'], { cwd: project });
    const json = await runFleet(['apply', '-i', inventory, '--vault-password-file', 'vault-pass', 'site.yml', '--json'], { cwd: project });
    for (const run of [text, json]) {
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).not.toContain(SECRET);
      expect(run.stderr).not.toContain(SECRET);
    }
    expect(readFileSync(join(host.home, 'secrets', 'used'), 'utf8')).toBe('used\n');
    const ledgerFiles = readdirSync(project).filter((name) => name.startsWith('history.db'));
    expect(ledgerFiles).toContain('history.db');
    for (const name of ledgerFiles) expect(readFileSync(join(project, name)).includes(Buffer.from(SECRET)), `secret in ${name}`).toBe(false);
    expect(hostFilesWith(SECRET), 'secret left on the host').toBe('');
  }, 180_000);
});
