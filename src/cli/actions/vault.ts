import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { CommanderError } from 'commander';
import { loadConfig } from '../../config/ansible_cfg.js';
import { shlexSplit } from '../../shell/shlex.js';
import { DEFAULT_VAULT_ID, parseEnvelope } from '../../vault/envelope.js';
import { VaultError } from '../../vault/errors.js';
import { readData, realPath, replaceKeepingMode, STDIO, writeData } from '../../vault/files.js';
import { askHidden } from '../../vault/prompt.js';
import { loadVaultSecrets, type VaultSourceOptions } from '../../vault/sources.js';
import { Vault, type VaultSecret } from '../../vault/vault.js';
import { EXIT } from '../main.js';
import type { VaultAction, VaultCommandFlags } from '../vault.js';
import { vaultSourcesFrom } from '../vault_flags.js';

const READS: VaultAction[] = ['decrypt', 'view', 'edit', 'rekey'];

/** What ansible-vault prints on stderr to a terminal, and writes to stdout. */
const io = {
  out: (data: Buffer | string) => process.stdout.write(data),
  note: (text: string) => process.stderr.write(`${text}\n`),
  toTerminal: () => process.stdout.isTTY === true,
};

function optionsError(message: string): never {
  process.stderr.write(`ERROR! ${message}\n`);
  throw new CommanderError(EXIT.badOptions, 'fleet.vault', message);
}

const warn = (message: string) => process.stderr.write(`[WARNING]: ${message}\n`);

async function secretsFrom(sources: VaultSourceOptions): Promise<VaultSecret[]> {
  return loadVaultSecrets(sources, process.cwd(), askHidden, warn);
}

/** match_encrypt_secret: the --encrypt-vault-id's secret, or the only one there is. */
function encryptSecret(secrets: VaultSecret[], encryptVaultId: string | undefined, what: string): VaultSecret {
  if (secrets.length === 0) optionsError(what);
  if (!encryptVaultId) {
    if (secrets.length > 1) optionsError(`The vault-ids ${secrets.map((secret) => secret.id).join(',')} are available to encrypt. Specify the vault-id to encrypt with --encrypt-vault-id`);
    return secrets[0] as VaultSecret;
  }
  const found = secrets.find((secret) => secret.id === encryptVaultId);
  if (!found) throw new VaultError(`Did not find a match for --encrypt-vault-id=${encryptVaultId} in the known vault-ids [${secrets.map((secret) => `'${secret.id}'`).join(', ')}]`);
  return found;
}

/** An error about one file, as VaultEditor reports it: `<error> for <file>`. */
function forFile<T>(file: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof VaultError) throw new VaultError(`${error.message} for ${file}`);
    throw error;
  }
}

/** `fleet vault ACTION`: what ansible-vault does for the same action, arguments and flags. */
export async function vaultAction(action: VaultAction, args: string[], flags: VaultCommandFlags): Promise<void> {
  if (flags.output && args.length > 1) optionsError('At most one input file may be used with the --output option');
  const config = loadConfig(process.cwd(), process.env);
  const writes = action === 'create' || action === 'encrypt' || action === 'encrypt_string';
  const secrets = await secretsFrom(vaultSourcesFrom(flags, config, { autoPrompt: true, newPassword: writes }));
  const vault = new Vault(secrets);
  if (READS.includes(action) && secrets.length === 0) optionsError("A vault password is required to use Ansible's Vault");
  const encryptVaultId = flags.encryptVaultId ?? config.get('vaultEncryptIdentity');
  switch (action) {
    case 'create':
      if (args.length !== 1) optionsError('ansible-vault create can take only one filename argument');
      return createFile(vault, encryptSecret(secrets, encryptVaultId, "A vault password is required to use Ansible's Vault"), args[0] as string);
    case 'encrypt':
      return encryptFiles(vault, encryptSecret(secrets, encryptVaultId, "A vault password is required to use Ansible's Vault"), args, flags.output);
    case 'encrypt_string':
      return encryptStrings(vault, encryptSecret(secrets, encryptVaultId, "A vault password is required to use Ansible's Vault"), args, flags);
    case 'decrypt':
      return decryptFiles(vault, args, flags.output);
    case 'view':
      for (const file of args) io.out(forFile(file, () => vault.decrypt(readData(file), file).plaintext));
      return;
    case 'edit':
      for (const file of args) editFile(vault, realPath(file));
      return;
    case 'rekey': {
      const newSources: VaultSourceOptions = {
        vaultIds: flags.newVaultId ? [flags.newVaultId] : [],
        passwordFiles: flags.newVaultPasswordFile ? [flags.newVaultPasswordFile] : [],
        askVaultPass: flags.askVaultPass === true,
        autoPrompt: true,
        newPassword: true,
      };
      const newSecret = encryptSecret(await secretsFrom(newSources), encryptVaultId, "A new vault password is required to use Ansible's Vault rekey");
      for (const file of args) rekeyFile(vault, newSecret, realPath(file));
      io.note('Rekey successful');
      return;
    }
  }
}

function encryptFiles(vault: Vault, secret: VaultSecret, args: string[], output: string | undefined): void {
  if (args.length === 0 && process.stdin.isTTY) io.note('Reading plaintext input from stdin');
  for (const file of args.length > 0 ? args : [STDIO]) {
    const path = realPath(file);
    writeData(vault.encrypt(readData(path), secret), output ?? path, io.out);
  }
  if (io.toTerminal()) io.note('Encryption successful');
}

function decryptFiles(vault: Vault, args: string[], output: string | undefined): void {
  if (args.length === 0 && process.stdin.isTTY) io.note('Reading ciphertext input from stdin');
  for (const file of args.length > 0 ? args : [STDIO]) {
    const path = realPath(file);
    writeData(forFile(path, () => vault.decrypt(readData(path), path).plaintext), output ?? path, io.out);
  }
  if (io.toTerminal()) io.note('Decryption successful');
}

/** VaultCLI.format_ciphertext_yaml: a `!vault |` block, indented 10 columns, ready to paste. */
export function vaultYamlBlock(ciphertext: string, name?: string): string {
  const lines = [`${name ? `${name}: ` : ''}!vault |`, ...ciphertext.split('\n').filter(Boolean).map((line) => `          ${line}`)];
  return lines.join('\n');
}

function encryptStrings(vault: Vault, secret: VaultSecret, args: string[], flags: VaultCommandFlags): void {
  const items: Array<{ text: string; from: string; name: string | undefined }> = [];
  const strings = args.filter((arg) => arg !== STDIO);
  if (args.includes(STDIO) || args.length === 0 || flags.stdinName) {
    if (io.toTerminal()) io.note('Reading plaintext input from stdin. (ctrl-d to end input, twice if your content does not already have a newline)');
    const text = readFileSync(0, 'utf8');
    if (text === '') optionsError('stdin was empty, not encrypting');
    items.push({ text, from: 'stdin', name: flags.stdinName });
  }
  if (flags.name.length > 0 && strings.length > flags.name.length) {
    io.note('The number of --name options do not match the number of args.');
    io.note(`The last named variable will be "${flags.name[flags.name.length - 1]}". The rest will not have names.`);
  }
  strings.forEach((text, index) => {
    if (text === '') optionsError('The plaintext provided from the command line args was empty, not encrypting');
    items.push({ text, from: 'the command line args', name: flags.name[index] });
  });
  const blocks = items.map((item, index) => {
    if (items.length > 1) {
      const which = item.name ? `variable ("${item.name}", the string #${index + 1} from ${item.from}).` : `the string #${index + 1} from ${item.from}.)`;
      process.stderr.write(`# The encrypted version of ${which}\n`);
    }
    return vaultYamlBlock(vault.encrypt(item.text, secret), item.name);
  });
  writeData(blocks.join('\n'), flags.output ?? STDIO, io.out);
  if (io.toTerminal()) io.note('Encryption successful');
}

function rekeyFile(vault: Vault, newSecret: VaultSecret, file: string): void {
  const { plaintext } = forFile(file, () => vault.decrypt(readData(file)));
  replaceKeepingMode(new Vault([]).encrypt(plaintext, newSecret), file, scratchPath(file));
}

/** VaultEditor._edit_file_helper: `plaintext` in $EDITOR (default vi) on a 0600 temp file; what it holds afterwards. */
function editInEditor(plaintext: Buffer, extension: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-vault-'));
  const temp = join(dir, `edit${extension}`);
  try {
    writeData(plaintext, temp, () => {});
    const [editor, ...editorArgs] = shlexSplit(process.env.EDITOR || 'vi');
    const result = spawnSync(editor as string, [...editorArgs, temp], { stdio: 'inherit' });
    if (result.error) throw new VaultError(`Unable to execute the command "${[editor, ...editorArgs, temp].join(' ')}": ${result.error.message}`);
    return readData(temp);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** VaultEditor.edit_file: when the plaintext changed, it is encrypted again with the secret and vault id it was decrypted with. */
function editFile(vault: Vault, file: string): void {
  const vaulttext = readData(file);
  const { plaintext, vaultId } = forFile(file, () => vault.decrypt(vaulttext));
  const secret = vault.secrets.find((candidate) => candidate.id === vaultId) as VaultSecret;
  const edited = editInEditor(plaintext, extname(file));
  if (edited.equals(plaintext)) return;
  const envelopeId = parseEnvelope(vaulttext, file).vaultId;
  replaceKeepingMode(vault.encrypt(edited, { id: envelopeId ?? DEFAULT_VAULT_ID, password: secret.password }), file, scratchPath(file));
}

/** VaultEditor.create_file: a new vaulted file from what is typed in $EDITOR; an existing file is refused. */
function createFile(vault: Vault, secret: VaultSecret, file: string): void {
  if (existsSync(file) && statSync(file).isFile()) throw new VaultError(`${file} exists, please use 'edit' instead`);
  const parent = dirname(file);
  if (!existsSync(parent)) {
    warn(`${parent} does not exist, creating...`);
    mkdirSync(parent, { recursive: true });
  }
  writeData(vault.encrypt(editInEditor(Buffer.alloc(0), extname(file)), secret), file, io.out);
}

function scratchPath(file: string): string {
  return join(dirname(file), `.${process.pid}.fleet-vault.tmp`);
}

