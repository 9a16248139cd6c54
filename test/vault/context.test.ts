/**
 * The run's vault is a process-wide "current run" (no AsyncLocalStorage and its per-promise
 * hooks), so runs in one process must not overlap: these pin that a run's vault holds across
 * its awaits, that a second run is refused while one is in progress, and that runs one after
 * another each see only their own secrets.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SecretRegistry } from '../../src/secrets/registry.js';
import { unvaultText, withVault } from '../../src/vault/context.js';
import { Vault } from '../../src/vault/vault.js';

const first = { id: 'default', password: Buffer.from('first-password') };
const second = { id: 'default', password: Buffer.from('second-password') };
const firstVault = new Vault([first]);
const secondVault = new Vault([second]);
const vaultedByFirst = firstVault.encrypt('first plaintext\n', first);

describe('the run vault context', () => {
  it('holds across the awaits of its run', async () => {
    const secrets = new SecretRegistry();
    const text = await withVault({ vault: firstVault, secrets }, async () => {
      await sleep(5);
      await Promise.resolve();
      return unvaultText(vaultedByFirst, 'first.yml');
    });
    expect(text).toBe('first plaintext\n');
    expect(secrets.has('first plaintext\n')).toBe(true);
  });

  it('refuses a second run while one is in progress, which keeps its own vault', async () => {
    let release = (): void => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const running = withVault({ vault: firstVault, secrets: new SecretRegistry() }, async () => {
      await held;
      return unvaultText(vaultedByFirst, 'first.yml');
    });
    await expect(withVault({ vault: secondVault, secrets: new SecretRegistry() }, async () => 'never')).rejects.toThrow('a fleet run is already in progress in this process');
    release();
    expect(await running).toBe('first plaintext\n');
  });

  it('ends with its run, failed or not: the next run sees only its own secrets, and no run none', async () => {
    await expect(withVault({ vault: firstVault, secrets: new SecretRegistry() }, async () => {
      throw new Error('the run failed');
    })).rejects.toThrow('the run failed');
    await expect(withVault({ vault: secondVault, secrets: new SecretRegistry() }, async () => unvaultText(vaultedByFirst, 'first.yml'))).rejects.toThrow(
      'Decryption failed (no vault secrets were found that could decrypt) on first.yml',
    );
    expect(() => unvaultText(vaultedByFirst, 'first.yml')).toThrow('Attempting to decrypt but no vault secrets found');
  });
});
