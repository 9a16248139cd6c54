import { ValidationError } from '../errors.js';

/** Ansible's AnsibleVaultError: no secret, or no secret that decrypts (wrong password, altered data). */
export class VaultError extends ValidationError {}

/** Ansible's AnsibleVaultFormatError: the text is not a well-formed vault envelope. */
export class VaultFormatError extends VaultError {}
