import { VaultFormatError } from './errors.js';

/** The header every vaulted text starts with (b_HEADER in ansible/parsing/vault). */
export const VAULT_HEADER = '$ANSIBLE_VAULT';
export const DEFAULT_VAULT_ID = 'default';
const CIPHER = 'AES256';
const LINE_WIDTH = 80;

export interface Envelope {
  /** The hexlified vaulttext with the line breaks removed. */
  vaulttext: Buffer;
  version: string;
  cipher: string;
  /** The 1.2 header's vault id, or undefined for 1.1. */
  vaultId: string | undefined;
}

/** Ansible's is_encrypted: ASCII text that starts with the vault header. */
export function isVaulted(data: string | Buffer): boolean {
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (buffer.some((byte) => byte > 0x7f)) return false;
  return buffer.subarray(0, VAULT_HEADER.length).toString('ascii') === VAULT_HEADER;
}

/** parse_vaulttext_envelope: the header's version, cipher and vault id, and the joined hex lines. */
export function parseEnvelope(text: string | Buffer, filename?: string): Envelope {
  const lines = (typeof text === 'string' ? text : text.toString('latin1')).split(/\r\n|\r|\n/);
  const header = (lines[0] ?? '').trim().split(';');
  if (header.length < 3) {
    throw new VaultFormatError(`Vault envelope format error${filename ? ` in ${filename}` : ''}: list index out of range`);
  }
  return {
    vaulttext: Buffer.from(lines.slice(1).join(''), 'latin1'),
    version: (header[1] as string).trim(),
    cipher: (header[2] as string).trim(),
    vaultId: header.length >= 4 ? (header[3] as string).trim() : undefined,
  };
}

/** format_vaulttext_envelope: a 1.1 header, or 1.2 with the vault id when it is not `default`; 80-column lines; a final newline. */
export function formatEnvelope(vaulttext: Buffer, vaultId?: string): string {
  const header = vaultId && vaultId !== DEFAULT_VAULT_ID ? [VAULT_HEADER, '1.2', CIPHER, vaultId] : [VAULT_HEADER, '1.1', CIPHER];
  const hexText = vaulttext.toString('ascii');
  const lines = [header.join(';')];
  for (let start = 0; start < hexText.length; start += LINE_WIDTH) lines.push(hexText.slice(start, start + LINE_WIDTH));
  return `${lines.join('\n')}\n`;
}

export function supportedCipher(cipher: string): boolean {
  return cipher === CIPHER;
}
