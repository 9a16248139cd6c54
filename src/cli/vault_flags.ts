import type { Command } from 'commander';
import type { ResolvedConfig } from '../config/ansible_cfg.js';
import type { VaultSourceOptions } from '../vault/sources.js';
import { collect } from './options.js';

/** The vault flags ansible-playbook and ansible-vault share. */
export interface VaultFlags {
  vaultId?: string[];
  vaultPasswordFile?: string[];
  askVaultPass?: boolean;
}

export function addVaultFlags(command: Command): Command {
  return command
    .option('--vault-id <id>', 'the vault identity to use, as [label@]source: a password file, script or `prompt` (repeatable)', collect, [])
    .option('--vault-password-file <file>', 'vault password file (repeatable)', collect, [])
    .option('-J, --ask-vault-pass', 'ask for vault password');
}

/**
 * Where the vault passwords come from: ansible.cfg's vault_identity_list before --vault-id,
 * --vault-password-file before ansible.cfg's vault_password_file (ansible's CLI order).
 */
export function vaultSourcesFrom(flags: VaultFlags, config: ResolvedConfig, prompting: { autoPrompt: boolean; newPassword: boolean }): VaultSourceOptions {
  const configured = (config.get('vaultIdentityList') ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  const passwordFile = config.get('vaultPasswordFile');
  return {
    vaultIds: [...configured, ...(flags.vaultId ?? [])],
    passwordFiles: [...(flags.vaultPasswordFile ?? []), ...(passwordFile ? [passwordFile] : [])],
    askVaultPass: flags.askVaultPass === true,
    ...prompting,
  };
}
