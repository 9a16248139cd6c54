/**
 * Where a run's vault passwords come from (flags, ANSIBLE_VAULT_PASSWORD_FILE, ansible.cfg,
 * executable password scripts), and the loaders that decrypt with them without a host.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import { loadExtraVars } from '../../src/executor/extra_vars.js';
import { SecretRegistry } from '../../src/secrets/registry.js';
import { fromPy, PyDict, PyVault } from '../../src/template/values.js';
import { withRunVault } from '../../src/vault/run.js';
import { loadVaultSecrets } from '../../src/vault/sources.js';
import { Vault } from '../../src/vault/vault.js';
import { parseYaml } from '../../src/yaml/load.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-vault-sources-'));
writeFileSync(join(dir, 'env-pass.txt'), 'from-the-environment\n');
writeFileSync(join(dir, 'cfg-pass.txt'), 'from-ansible-cfg\n');
writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nvault_password_file = cfg-pass.txt\nvault_identity_list = ops@cfg-pass.txt\n');
const flags = { inventory: [], tags: [], skipTags: [], extraVars: [], verbose: 0 };
const noPrompt = () => Promise.reject(new Error('no prompt expected'));

describe('vault password sources', () => {
  it('ansible.cfg identities come before --vault-id, and ANSIBLE_VAULT_PASSWORD_FILE overrides the cfg file', async () => {
    const fromCfg = applyOptionsFrom([], { ...flags, vaultId: [`dev@${join(dir, 'env-pass.txt')}`] }, { ANSIBLE_CONFIG: join(dir, 'ansible.cfg') }, dir).vault;
    expect(fromCfg.vaultIds).toEqual(['ops@cfg-pass.txt', `dev@${join(dir, 'env-pass.txt')}`]);
    expect(fromCfg.passwordFiles).toEqual([join(dir, 'cfg-pass.txt')]);
    const fromEnv = applyOptionsFrom([], flags, { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_VAULT_PASSWORD_FILE: 'env-pass.txt' }, dir).vault;
    const secrets = await loadVaultSecrets(fromEnv, dir, noPrompt, () => {});
    expect(secrets.map((secret) => [secret.id, secret.password.toString()])).toEqual([
      ['ops', 'from-ansible-cfg'],
      ['default', 'from-the-environment'],
    ]);
  });

  it('an executable password file is run for its output; a missing one is a warning while another source works', async () => {
    const script = join(dir, 'pass.sh');
    writeFileSync(script, "#!/bin/sh\necho 'from-a-script'\n");
    chmodSync(script, 0o755);
    const warnings: string[] = [];
    const secrets = await loadVaultSecrets(
      { vaultIds: [`gone@${join(dir, 'missing.txt')}`], passwordFiles: [script], askVaultPass: false, autoPrompt: false, newPassword: false },
      dir,
      noPrompt,
      (message) => warnings.push(message),
    );
    expect(secrets.map((secret) => secret.password.toString())).toEqual(['from-a-script']);
    expect(warnings).toEqual([`Error getting vault password file (gone): The vault password file ${join(dir, 'missing.txt')} was not found`]);
  });

  it('--ask-vault-pass asks with ansible’s prompt', async () => {
    const prompts: string[] = [];
    const secrets = await loadVaultSecrets({ vaultIds: [], passwordFiles: [], askVaultPass: true, autoPrompt: false, newPassword: false }, dir, async (prompt) => {
      prompts.push(prompt);
      return 'typed';
    }, () => {});
    expect(prompts).toEqual(['Vault password: ']);
    expect(secrets).toEqual([{ id: 'default', password: Buffer.from('typed') }]);
  });
});

describe('loaders under a run vault', () => {
  const secret = { id: 'default', password: Buffer.from('loader-password') };
  const vault = new Vault([secret]);

  it('a vaulted -e @file decrypts, and its values become run secrets', async () => {
    const file = join(dir, 'extra.yml');
    writeFileSync(file, vault.encrypt('extra_token: extra-token-value\n', secret));
    const secrets = new SecretRegistry();
    const sources = { vaultIds: [], passwordFiles: [], askVaultPass: false, autoPrompt: false, newPassword: false };
    const passwordFile = join(dir, 'loader-pass.txt');
    writeFileSync(passwordFile, 'loader-password\n');
    const extra = await withRunVault({ ...sources, passwordFiles: [passwordFile] }, dir, secrets, () => {}, () => loadExtraVars([`@${file}`], dir));
    expect(fromPy(extra)).toEqual({ extra_token: 'extra-token-value' });
    expect(secrets.has('extra-token-value')).toBe(true);
  });

  it('a !vault value loaded outside a run keeps its ciphertext and fails on use with Ansible’s message', () => {
    const [data] = parseYaml(`token: !vault |\n  ${vault.encrypt('x-value', secret).trimEnd().split('\n').join('\n  ')}\n`, 'plain.yml').documents;
    const value = (data as PyDict).get('token') as PyVault;
    expect(value.ciphertext.startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    expect(() => value.plaintext).toThrow('Attempting to decrypt but no vault secrets found');
  });
});
