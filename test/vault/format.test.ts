/**
 * The Ansible Vault format, both ways against Debian's ansible-core 2.14: what ansible-vault
 * writes fleet reads, what fleet writes ansible-vault reads, and with the same salt both
 * write the same bytes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VaultError, VaultFormatError } from '../../src/vault/errors.js';
import { Vault, type VaultSecret } from '../../src/vault/vault.js';

const ANSIBLE_VAULT = '/usr/bin/ansible-vault';
const dir = mkdtempSync(join(tmpdir(), 'fleet-vault-format-'));
const passwordFile = (name: string, password: string) => {
  const file = join(dir, name);
  writeFileSync(file, `${password}\n`);
  return file;
};
const devPassword = passwordFile('dev.txt', 'dev-password');
const prodPassword = passwordFile('prod.txt', 'prod password with spaces');
const dev: VaultSecret = { id: 'default', password: Buffer.from('dev-password') };
const prod: VaultSecret = { id: 'prod', password: Buffer.from('prod password with spaces') };
const PLAINTEXT = 'api_key: s3cret-k3y\nlist:\n  - ünïcødé\n';

function plainFile(name: string, text = PLAINTEXT): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function ansibleVault(...args: string[]): string {
  return execFileSync(ANSIBLE_VAULT, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** ansible-vault's plaintext of a file, byte for byte (`view` pages and may add a newline). */
const ansibleDecrypt = (file: string, ...secretArgs: string[]) => ansibleVault('decrypt', ...secretArgs, '--output', '-', file);

/** The vault text with one hex digit of its ciphertext (past the salt and the HMAC) changed to another. */
function tamperCiphertext(vaulttext: string): string {
  const [header, ...lines] = vaulttext.trimEnd().split('\n');
  const inner = Buffer.from(lines.join(''), 'hex').toString('ascii');
  const start = inner.lastIndexOf('\n') + 1;
  const altered = `${inner.slice(0, start + 5)}${inner[start + 5] === '0' ? '1' : '0'}${inner.slice(start + 6)}`;
  const hex = Buffer.from(altered, 'ascii').toString('hex');
  return `${header}\n${(hex.match(/.{1,80}/g) as string[]).join('\n')}\n`;
}

/** VaultLib.encrypt with a fixed salt, as ansible-core computes it. */
function ansibleEncryptWithSalt(plaintext: string, password: string, vaultId: string | null, salt: string): string {
  const script = `import sys
from ansible.parsing.vault import VaultLib, VaultSecret
secret = VaultSecret(sys.argv[2].encode())
vault_id = sys.argv[3] or None
sys.stdout.write(VaultLib([]).encrypt(sys.argv[1].encode(), secret, vault_id=vault_id, salt=sys.argv[4].encode()).decode())`;
  return execFileSync('/usr/bin/python3', ['-c', script, plaintext, password, vaultId ?? '', salt], { encoding: 'utf8' });
}

function errorOf(run: () => unknown): VaultError {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError');
}

describe('files encrypted by ansible-vault', () => {
  it('1.1 (no vault id) decrypts in fleet', () => {
    const file = plainFile('a.yml');
    ansibleVault('encrypt', '--vault-password-file', devPassword, file);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.1;AES256');
    const decrypted = new Vault([dev]).decrypt(text, file);
    expect(decrypted.plaintext.toString('utf8')).toBe(PLAINTEXT);
    expect(decrypted.vaultId).toBe('default');
  });

  it('1.2 with a vault id decrypts in fleet, trying the matching id first', () => {
    const file = plainFile('b.yml');
    ansibleVault('encrypt', '--vault-id', `prod@${prodPassword}`, file);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    // The matching id is tried first, but a secret under another id still works (Ansible's order).
    expect(new Vault([dev, prod]).decrypt(text).vaultId).toBe('prod');
    expect(new Vault([dev, { ...prod, id: 'other' }]).decrypt(text).plaintext.toString('utf8')).toBe(PLAINTEXT);
  });

  it('strings from encrypt_string decrypt in fleet', () => {
    const block = ansibleVault('encrypt_string', '--vault-password-file', devPassword, 'just a string');
    const ciphertext = block.split('\n').slice(1).map((line) => line.trim()).join('\n');
    expect(new Vault([dev]).decrypt(ciphertext).plaintext.toString('utf8')).toBe('just a string');
  });
});

describe('files encrypted by fleet', () => {
  it('1.1 decrypts in ansible-vault', () => {
    const file = join(dir, 'c.yml');
    writeFileSync(file, new Vault([dev]).encrypt(PLAINTEXT, dev));
    expect(readFileSync(file, 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n([0-9a-f]{80}\n)+[0-9a-f]{1,80}\n$/);
    expect(ansibleDecrypt(file, '--vault-password-file', devPassword)).toBe(PLAINTEXT);
  });

  it('1.2 with a vault id decrypts in ansible-vault', () => {
    const file = join(dir, 'd.yml');
    writeFileSync(file, new Vault([prod]).encrypt(PLAINTEXT, prod));
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    expect(ansibleDecrypt(file, '--vault-id', `prod@${prodPassword}`)).toBe(PLAINTEXT);
  });

  it('with the same salt, fleet writes the bytes ansible-core writes', () => {
    const salt = 'a fixed salt of thirty-two bytes';
    for (const [secret, password, id] of [
      [dev, 'dev-password', null],
      [prod, 'prod password with spaces', 'prod'],
    ] as const) {
      const ours = new Vault([]).encrypt(PLAINTEXT, secret, Buffer.from(salt));
      expect(ours).toBe(ansibleEncryptWithSalt(PLAINTEXT, password, id, salt));
    }
  });

  it('an empty plaintext round-trips (one block of padding)', () => {
    const file = join(dir, 'empty.yml');
    writeFileSync(file, new Vault([dev]).encrypt('', dev));
    expect(ansibleDecrypt(file, '--vault-password-file', devPassword)).toBe('');
  });
});

describe('failures', () => {
  it('a wrong password names the file', () => {
    const file = plainFile('e.yml');
    ansibleVault('encrypt', '--vault-password-file', devPassword, file);
    const error = errorOf(() => new Vault([{ id: 'default', password: Buffer.from('wrong') }]).decrypt(readFileSync(file), file));
    expect(error.message).toBe(`Decryption failed (no vault secrets were found that could decrypt) on ${file}`);
  });

  it('no secret at all is Ansible’s error', () => {
    const error = errorOf(() => new Vault([]).decrypt(new Vault([dev]).encrypt('x', dev)));
    expect(error.message).toBe('Attempting to decrypt but no vault secrets found');
  });

  it('one altered byte of the ciphertext fails the HMAC check, in fleet as in ansible-vault', () => {
    const file = plainFile('f.yml');
    ansibleVault('encrypt', '--vault-password-file', devPassword, file);
    writeFileSync(file, tamperCiphertext(readFileSync(file, 'utf8')));
    const error = errorOf(() => new Vault([dev]).decrypt(readFileSync(file), file));
    expect(error.message).toBe(`Decryption failed (no vault secrets were found that could decrypt) on ${file}`);
    const ansible = spawnSync(ANSIBLE_VAULT, ['view', '--vault-password-file', devPassword, file], { encoding: 'utf8' });
    expect(ansible.status).not.toBe(0);
    expect(ansible.stderr).toContain('Decryption failed');
  });

  it('a character that is not hex is a format error', () => {
    const text = new Vault([dev]).encrypt('x', dev).replace(/\n[0-9a-f]/, '\nz');
    const error = errorOf(() => new Vault([dev]).decrypt(text, 'g.yml'));
    expect(error).toBeInstanceOf(VaultFormatError);
    expect(error.message).toBe('There was a vault format error in g.yml: Vault format unhexlify error: Non-hexadecimal digit found');
  });
});
