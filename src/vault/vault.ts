import { decryptAes256, encryptAes256 } from './aes256.js';
import { DEFAULT_VAULT_ID, formatEnvelope, isVaulted, parseEnvelope, supportedCipher } from './envelope.js';
import { VaultError, VaultFormatError } from './errors.js';

/** One vault password with the id it was given under (`--vault-id label@source`). */
export interface VaultSecret {
  id: string;
  password: Buffer;
}

export interface Decrypted {
  plaintext: Buffer;
  /** The id of the secret that decrypted it. */
  vaultId: string;
}

/** Ansible's VaultLib: encrypts with one secret, decrypts with whichever of its secrets fits. */
export class Vault {
  constructor(readonly secrets: readonly VaultSecret[]) {}

  encrypt(plaintext: Buffer | string, secret: VaultSecret, salt?: Buffer): string {
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    if (isVaulted(data)) throw new VaultError('input is already encrypted');
    return formatEnvelope(encryptAes256(data, secret.password, salt), secret.id);
  }

  /**
   * VaultLib.decrypt_and_get_vault_id: the secret named by the envelope's vault id is tried
   * first, then every other secret (DEFAULT_VAULT_ID_MATCH is off by default).
   */
  decrypt(text: string | Buffer, filename?: string): Decrypted {
    const on = filename ? ` on ${filename}` : '';
    if (!isVaulted(text)) throw new VaultError(`input is not vault encrypted data. ${filename ? `${filename} is not a vault encrypted file` : ''}`);
    const envelope = parseEnvelope(text, filename);
    if (!supportedCipher(envelope.cipher)) throw new VaultError(`${envelope.cipher} cipher could not be found`);
    if (this.secrets.length === 0) throw new VaultError('Attempting to decrypt but no vault secrets found');
    for (const secret of this.candidates(envelope.vaultId ?? DEFAULT_VAULT_ID)) {
      try {
        return { plaintext: decryptAes256(envelope.vaulttext, secret.password), vaultId: secret.id };
      } catch (error) {
        if (error instanceof VaultFormatError) throw new VaultFormatError(`There was a vault format error${filename ? ` in ${filename}` : ''}: ${error.message}`);
        if (!(error instanceof VaultError)) throw error;
      }
    }
    throw new VaultError(`Decryption failed (no vault secrets were found that could decrypt)${on}`);
  }

  private candidates(vaultId: string): VaultSecret[] {
    return [...this.secrets.filter((secret) => secret.id === vaultId), ...this.secrets.filter((secret) => secret.id !== vaultId)];
  }
}
