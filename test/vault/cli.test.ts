/**
 * `fleet vault` as a program, against ansible-vault: what one command writes the other reads,
 * and the texts (stderr notes, errors, encrypt_string's YAML) are ansible-vault's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/yaml/load.js';
import { PyDict, PyVault } from '../../src/template/values.js';
import { fleetProgram } from '../support/fleet_cli.js';

const ANSIBLE_VAULT = '/usr/bin/ansible-vault';
const dir = mkdtempSync(join(tmpdir(), 'fleet-vault-cli-'));
const passwordFile = join(dir, 'pass.txt');
const newPasswordFile = join(dir, 'new-pass.txt');
writeFileSync(passwordFile, 'cli-test-password\n');
writeFileSync(newPasswordFile, 'the-new-password\n');
const PLAINTEXT = 'token: abc123-secret\n';

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function fleet(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Ran {
  const result = spawnSync(...fleetProgram(['vault', ...args]), {
    cwd: dir,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ansibleVault(args: string[], input = ''): Ran {
  const result = spawnSync(ANSIBLE_VAULT, args, { cwd: dir, encoding: 'utf8', input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function fileWith(name: string, text = PLAINTEXT): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('fleet vault', () => {
  it('encrypt writes a 0600 file that ansible-vault decrypts; decrypt reads what ansible-vault wrote', () => {
    const ours = fileWith('ours.yml');
    expect(fleet(['encrypt', '--vault-password-file', passwordFile, ours]).status).toBe(0);
    expect(statSync(ours).mode & 0o777).toBe(0o600);
    expect(ansibleVault(['decrypt', '--vault-password-file', passwordFile, '--output', '-', ours]).stdout).toBe(PLAINTEXT);

    const theirs = fileWith('theirs.yml');
    ansibleVault(['encrypt', '--vault-id', `ops@${passwordFile}`, theirs]);
    const out = join(dir, 'theirs.plain');
    expect(fleet(['decrypt', '--vault-id', `ops@${passwordFile}`, '--output', out, theirs]).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(PLAINTEXT);
    expect(fleet(['view', '--vault-password-file', passwordFile, theirs]).stdout).toBe(PLAINTEXT);
  }, 300_000);

  it('encrypt and decrypt work on stdin and stdout', () => {
    const encrypted = fleet(['encrypt', '--vault-id', `prod@${passwordFile}`], { input: PLAINTEXT });
    expect(encrypted.stdout.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    expect(ansibleVault(['decrypt', '--vault-id', `prod@${passwordFile}`], encrypted.stdout).stdout).toBe(PLAINTEXT);
    expect(fleet(['decrypt', '--vault-password-file', passwordFile], { input: encrypted.stdout }).stdout).toBe(PLAINTEXT);
  }, 300_000);

  it('encrypt_string prints the !vault YAML ansible-vault prints, and ansible-playbook reads it', () => {
    const ran = fleet(['encrypt_string', '--vault-password-file', passwordFile, '--name', 'db_password', 'hunter2-long']);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(/^db_password: !vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256\n( {10}[0-9a-f]{80}\n)+ {10}[0-9a-f]{1,80}$/);
    const [loaded] = parseYaml(ran.stdout, 'stdout').documents;
    expect(((loaded as PyDict).get('db_password') as PyVault).ciphertext.startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    const playbook = join(dir, 'show.yml');
    writeFileSync(playbook, `- hosts: localhost\n  gather_facts: false\n  vars:\n${ran.stdout.replace(/^/gm, '    ')}\n  tasks:\n    - debug: msg="{{ db_password }}"\n`);
    const shown = execFileSync('ansible-playbook', ['--vault-password-file', passwordFile, playbook], { cwd: dir, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
    expect(shown).toContain('"msg": "hunter2-long"');

    const two = fleet(['encrypt_string', '--vault-password-file', passwordFile, '--name', 'a', '--name', 'b', 'one', 'two']);
    const theirs = ansibleVault(['encrypt_string', '--vault-password-file', passwordFile, '--name', 'a', '--name', 'b', 'one', 'two']);
    expect(two.stderr).toBe(theirs.stderr);
    expect(two.stdout.replace(/[0-9a-f]{2,80}/g, 'HEX')).toBe(theirs.stdout.replace(/[0-9a-f]{2,80}/g, 'HEX'));
  }, 300_000);

  it('rekey re-encrypts under the new password and vault id, keeping the mode', () => {
    const file = fileWith('rekey.yml');
    ansibleVault(['encrypt', '--vault-password-file', passwordFile, file]);
    chmodSync(file, 0o640);
    const ran = fleet(['rekey', '--vault-password-file', passwordFile, '--new-vault-id', `next@${newPasswordFile}`, file]);
    expect(ran.stderr).toBe('Rekey successful\n');
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;next');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(ansibleVault(['decrypt', '--vault-id', `next@${newPasswordFile}`, '--output', '-', file]).stdout).toBe(PLAINTEXT);
  }, 300_000);

  it('edit hands $EDITOR a 0600 temp file and encrypts the result again with the same vault id', () => {
    const file = fileWith('edit.yml');
    ansibleVault(['encrypt', '--vault-id', `ops@${passwordFile}`, file]);
    const editor = join(dir, 'editor.sh');
    const seen = join(dir, 'editor-saw-mode');
    writeFileSync(editor, `#!/bin/sh\nstat -c %a "$1" > '${seen}'\nsed -i 's/abc123/xyz789/' "$1"\n`);
    chmodSync(editor, 0o755);
    expect(fleet(['edit', '--vault-id', `ops@${passwordFile}`, file], { env: { EDITOR: editor } }).status).toBe(0);
    expect(readFileSync(seen, 'utf8').trim()).toBe('600');
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;ops');
    expect(ansibleVault(['decrypt', '--vault-id', `ops@${passwordFile}`, '--output', '-', file]).stdout).toBe('token: xyz789-secret\n');
  }, 300_000);

  it('create makes a new vaulted file from $EDITOR and refuses an existing one', () => {
    const editor = join(dir, 'create-editor.sh');
    writeFileSync(editor, "#!/bin/sh\nprintf 'created: yes\\n' > \"$1\"\n");
    chmodSync(editor, 0o755);
    const file = join(dir, 'made', 'new.yml');
    const ran = fleet(['create', '--vault-password-file', passwordFile, file], { env: { EDITOR: editor } });
    expect(ran.status).toBe(0);
    expect(ran.stderr).toBe(`[WARNING]: ${join(dir, 'made')} does not exist, creating...\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ansibleVault(['decrypt', '--vault-password-file', passwordFile, '--output', '-', file]).stdout).toBe('created: yes\n');
    expect(fleet(['create', '--vault-password-file', passwordFile, file], { env: { EDITOR: editor } }).stderr).toBe(`ERROR! ${file} exists, please use 'edit' instead\n`);
  }, 300_000);

  it('--ask-vault-pass asks on the terminal, not stdin, so stdin can carry the data', () => {
    const encrypted = join(dir, 'ask.vault');
    writeFileSync(encrypted, ansibleVault(['encrypt', '--vault-password-file', passwordFile], PLAINTEXT).stdout);
    const command = `${fleetProgram(['vault', 'decrypt', '-J']).flat().map((word) => `'${word}'`).join(' ')} < '${encrypted}'`;
    // script(1) gives the command a terminal and types its own stdin there: the password.
    const ran = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8', input: 'cli-test-password\r' });
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain('Vault password: ');
    expect(ran.stdout.replace(/\r\n/g, '\n')).toContain(PLAINTEXT);
  }, 300_000);

  it('a wrong password or a file that is not vaulted is ansible-vault’s error, exit 1', () => {
    const file = fileWith('wrong.yml');
    ansibleVault(['encrypt', '--vault-password-file', passwordFile, file]);
    const wrong = fleet(['view', '--vault-password-file', newPasswordFile, file]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toBe(`ERROR! Decryption failed (no vault secrets were found that could decrypt) on ${file} for ${file}\n`);
    const plain = fileWith('plain.txt', 'hello\n');
    const theirs = ansibleVault(['decrypt', '--vault-password-file', passwordFile, plain]);
    expect(fleet(['decrypt', '--vault-password-file', passwordFile, plain]).stderr).toBe(theirs.stderr);
    const ambiguous = fleet(['encrypt', '--vault-id', `a@${passwordFile}`, '--vault-id', `b@${newPasswordFile}`, plain]);
    expect(ambiguous.status).toBe(5);
    expect(ambiguous.stderr).toBe('ERROR! The vault-ids a,b are available to encrypt. Specify the vault-id to encrypt with --encrypt-vault-id\n');
  }, 300_000);
});
