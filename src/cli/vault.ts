import type { Command } from 'commander';
import { collect } from './options.js';
import { addVaultFlags, type VaultFlags } from './vault_flags.js';

export interface VaultCommandFlags extends VaultFlags {
  output?: string;
  encryptVaultId?: string;
  newVaultId?: string;
  newVaultPasswordFile?: string;
  name: string[];
  stdinName?: string;
}

export type VaultAction = 'create' | 'encrypt' | 'decrypt' | 'view' | 'edit' | 'rekey' | 'encrypt_string';

export function registerVaultCommand(program: Command): void {
  const vault = program.command('vault').description('Encrypt and decrypt Ansible Vault files and strings (like ansible-vault)');
  const add = (action: VaultAction, args: string, description: string) => addVaultFlags(vault.command(action).argument(args).description(description));
  const actions: Array<[VaultAction, Command]> = [
    ['create', add('create', '<files...>', 'Create new vault encrypted file').option('--encrypt-vault-id <id>', 'the vault id used to encrypt (required if more than one vault-id is provided)')],
    [
      'encrypt',
      add('encrypt', '[files...]', 'Encrypt YAML file')
        .option('--output <file>', "output file name for encrypt or decrypt; use - for stdout")
        .option('--encrypt-vault-id <id>', 'the vault id used to encrypt (required if more than one vault-id is provided)'),
    ],
    ['decrypt', add('decrypt', '[files...]', 'Decrypt vault encrypted file').option('--output <file>', 'output file name for encrypt or decrypt; use - for stdout')],
    ['view', add('view', '<files...>', 'View vault encrypted file')],
    ['edit', add('edit', '<files...>', 'Edit vault encrypted file')],
    [
      'rekey',
      add('rekey', '<files...>', 'Re-key a vault encrypted file')
        .option('--new-vault-password-file <file>', 'new vault password file for rekey')
        .option('--new-vault-id <id>', 'the new vault identity to use for rekey')
        .option('--encrypt-vault-id <id>', 'the vault id used to encrypt (required if more than one vault-id is provided)'),
    ],
    [
      'encrypt_string',
      add('encrypt_string', '[strings...]', 'Encrypt a string')
        .option('-n, --name <name>', 'specify the variable name (repeatable)', collect, [])
        .option('--stdin-name <name>', 'specify the variable name for stdin')
        .option('--output <file>', 'output file name; use - for stdout')
        .option('--encrypt-vault-id <id>', 'the vault id used to encrypt (required if more than one vault-id is provided)'),
    ],
  ];
  for (const [action, command] of actions) {
    command.action(async (args: string[], flags: VaultCommandFlags) => (await import('./actions/vault.js')).vaultAction(action, args, { ...flags, name: flags.name ?? [] }));
  }
}
