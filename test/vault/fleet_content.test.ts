/**
 * The fleet content keeps its secrets vaulted: group_vars/all/vault.yml holds `!vault`
 * values only, which the committed sandbox-only password decrypts to the dummies the
 * sandbox tests look for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretRegistry } from '../../src/secrets/registry.js';
import { PyDict, PyVault } from '../../src/template/values.js';
import { withRunVault } from '../../src/vault/run.js';
import { loadYamlValue } from '../../src/yaml/load.js';
import { DUMMY_SECRETS, sandboxVaultPasswordFile } from '../fleet/sandbox_wizards.js';
import { repoRoot } from '../support/sandbox.js';

const vaultFile = join(repoRoot, 'group_vars', 'all', 'vault.yml');

describe('group_vars/all/vault.yml', () => {
  it('holds no plaintext secret, only !vault values', () => {
    const text = readFileSync(vaultFile, 'utf8');
    for (const secret of DUMMY_SECRETS) expect(text).not.toContain(secret);
    const keys = (loadYamlValue(vaultFile) as PyDict).get('vault_agent_api_keys') as PyDict;
    expect([...keys.keys()]).toEqual(['KIMI_API_KEY', 'OPENROUTER_API_KEY']);
    for (const value of keys.values()) expect(value).toBeInstanceOf(PyVault);
  });

  it('decrypts with the sandbox-only password to the dummy keys', async () => {
    const sources = { vaultIds: [], passwordFiles: [sandboxVaultPasswordFile], askVaultPass: false, autoPrompt: false, newPassword: false };
    const secrets = new SecretRegistry();
    const plaintexts = await withRunVault(sources, repoRoot, secrets, () => {}, () => {
      const keys = (loadYamlValue(vaultFile) as PyDict).get('vault_agent_api_keys') as PyDict;
      return [...keys.values()].map((value) => (value as PyVault).plaintext);
    });
    expect(plaintexts).toEqual(DUMMY_SECRETS);
    for (const secret of DUMMY_SECRETS) expect(secrets.has(secret)).toBe(true);
  });
});
