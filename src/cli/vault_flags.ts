import { Option, type Command } from 'commander';
import type { ResolvedConfig } from '../config/ansible_cfg.js';
import type { VaultSourceOptions } from '../vault/sources.js';
import { addAlias, collect } from './options.js';

/** The vault flags ansible-playbook and ansible-vault share. */
export interface VaultFlags {
  vaultId?: string[];
  vaultPasswordFile?: string[];
  askVaultPass?: boolean;
}

/** ansible-core 2.14's names (--ask-vault-password, --vault-pass-file), and 2.15's -J; asking and a password file exclude each other, as there. */
export function addVaultFlags(command: Command): Command {
  command
    .option('--vault-id <id>', 'the vault identity to use, as [label@]source: a password file, script or `prompt` (repeatable)', collect, [])
    .option('--vault-password-file <file>', 'vault password file (repeatable; also --vault-pass-file)', collect, [])
    .addOption(new Option('-J, --ask-vault-pass', 'ask for vault password (also --ask-vault-password)').conflicts('vaultPasswordFile'));
  addAlias(command, '--vault-pass-file <file>', 'vault-password-file');
  return addAlias(command, '--ask-vault-password', 'ask-vault-pass');
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
