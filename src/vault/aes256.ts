import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { VaultError, VaultFormatError } from './errors.js';

/**
 * Ansible Vault's AES256 cipher (VaultAES256 in ansible/parsing/vault/__init__.py):
 * PBKDF2-HMAC-SHA256 (10000 rounds) derives an AES-256 key, an HMAC-SHA256 key and the
 * CTR counter from the password and a random 32-byte salt; the PKCS7-padded plaintext is
 * encrypted with AES-256-CTR and signed with HMAC-SHA256.
 */
const KEY_LENGTH = 32;
const IV_LENGTH = 16;
const ITERATIONS = 10000;
const SALT_LENGTH = 32;
const BLOCK = 16;

interface DerivedKeys {
  cipherKey: Buffer;
  hmacKey: Buffer;
  iv: Buffer;
}

function deriveKeys(password: Buffer, salt: Buffer): DerivedKeys {
  const derived = pbkdf2Sync(password, salt, ITERATIONS, 2 * KEY_LENGTH + IV_LENGTH, 'sha256');
  return {
    cipherKey: derived.subarray(0, KEY_LENGTH),
    hmacKey: derived.subarray(KEY_LENGTH, 2 * KEY_LENGTH),
    iv: derived.subarray(2 * KEY_LENGTH),
  };
}

function pad(data: Buffer): Buffer {
  const count = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(count, count)]);
}

function unpad(data: Buffer): Buffer {
  const count = data.length > 0 ? (data[data.length - 1] as number) : 0;
  const valid = count >= 1 && count <= BLOCK && count <= data.length && data.subarray(data.length - count).every((byte) => byte === count);
  if (!valid) throw new VaultError('Invalid padding bytes.');
  return data.subarray(0, data.length - count);
}

function hex(data: Buffer): Buffer {
  return Buffer.from(data.toString('hex'), 'ascii');
}

/** Python's binascii.unhexlify: an odd length or a non-hex digit is a format error. */
function unhex(data: Buffer): Buffer {
  const text = data.toString('latin1');
  if (text.length % 2 !== 0) throw new VaultFormatError('Vault format unhexlify error: Odd-length string');
  if (!/^[0-9a-fA-F]*$/.test(text)) throw new VaultFormatError('Vault format unhexlify error: Non-hexadecimal digit found');
  return Buffer.from(text, 'hex');
}

/** The hexlified vaulttext (salt, hmac, ciphertext) that the envelope wraps in 80-column lines. */
export function encryptAes256(plaintext: Buffer, password: Buffer, salt: Buffer = randomBytes(SALT_LENGTH)): Buffer {
  const keys = deriveKeys(password, salt);
  const cipher = createCipheriv('aes-256-ctr', keys.cipherKey, keys.iv);
  const ciphertext = Buffer.concat([cipher.update(pad(plaintext)), cipher.final()]);
  const hmac = createHmac('sha256', keys.hmacKey).update(ciphertext).digest();
  return hex(Buffer.concat([hex(salt), Buffer.from('\n'), hex(hmac), Buffer.from('\n'), hex(ciphertext)]));
}

/** The plaintext of a hexlified vaulttext; a wrong password or altered data fails the HMAC check. */
export function decryptAes256(vaulttext: Buffer, password: Buffer): Buffer {
  const { salt, hmac, ciphertext } = splitVaulttext(vaulttext);
  const keys = deriveKeys(password, salt);
  const expected = createHmac('sha256', keys.hmacKey).update(ciphertext).digest();
  const given = unhex(hmac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new VaultError('HMAC verification failed: Signature did not match digest.');
  const decipher = createDecipheriv('aes-256-ctr', keys.cipherKey, keys.iv);
  return unpad(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}

function splitVaulttext(vaulttext: Buffer): { salt: Buffer; hmac: Buffer; ciphertext: Buffer } {
  const inner = unhex(vaulttext);
  const first = inner.indexOf(0x0a);
  const second = first < 0 ? -1 : inner.indexOf(0x0a, first + 1);
  if (second < 0) throw new VaultFormatError('Vault vaulttext format error: not enough values to unpack (expected 3)');
  return {
    salt: unhex(inner.subarray(0, first)),
    hmac: inner.subarray(first + 1, second),
    ciphertext: unhex(inner.subarray(second + 1)),
  };
}
