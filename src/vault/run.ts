import type { SecretRegistry } from '../secrets/registry.js';
import { withVault } from './context.js';
import { askHidden } from './prompt.js';
import { loadVaultSecrets, type VaultSourceOptions } from './sources.js';
import { Vault } from './vault.js';

/**
 * Runs `body` with the vault secrets of `sources` (read, or asked for, once), so vaulted
 * files and `!vault` values it loads decrypt and their plaintexts join `secrets`.
 */
export async function withRunVault<T>(sources: VaultSourceOptions, cwd: string, secrets: SecretRegistry, warn: (message: string) => void, body: () => Promise<T> | T): Promise<T> {
  const vault = new Vault(await loadVaultSecrets(sources, cwd, askHidden, warn));
  return withVault({ vault, secrets }, async () => await body());
}
