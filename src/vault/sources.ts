import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { DEFAULT_VAULT_ID } from './envelope.js';
import { VaultError } from './errors.js';
import type { VaultSecret } from './vault.js';

/** Where the vault passwords of one command come from, as ansible's CLI options give them. */
export interface VaultSourceOptions {
  /** `--vault-id [label@]source` values (config's vault_identity_list first). */
  vaultIds: string[];
  /** `--vault-password-file` values (config's vault_password_file last). */
  passwordFiles: string[];
  askVaultPass: boolean;
  /** ansible-vault prompts when no source is given; ansible-playbook does not. */
  autoPrompt: boolean;
  /** Prompts ask for a new password twice (encrypt, create, rekey's new password). */
  newPassword: boolean;
}

/** Reads a password typed on the terminal; `prompt` is what ansible shows. */
export type AskPassword = (prompt: string) => Promise<string>;

const PROMPT_SOURCES = new Set(['prompt', 'prompt_ask_vault_pass']);

/** CLI.split_vault_id: `label@source`, or the whole text as the source. */
export function splitVaultId(slug: string): { label: string | undefined; source: string } {
  const at = slug.indexOf('@');
  return at < 0 ? { label: undefined, source: slug } : { label: slug.slice(0, at), source: slug.slice(at + 1) };
}

/**
 * CLI.setup_vault_secrets: each `--vault-id` in order, then every password file under the
 * `default` id, then a prompt when asked for (or when nothing else was given and
 * `autoPrompt`). A source that cannot be read is a warning while another one works.
 */
export async function loadVaultSecrets(options: VaultSourceOptions, cwd: string, ask: AskPassword, warn: (message: string) => void): Promise<VaultSecret[]> {
  const slugs = [...options.vaultIds];
  for (const file of options.passwordFiles) slugs.push(`${DEFAULT_VAULT_ID}@${file}`);
  if (options.askVaultPass || (slugs.length === 0 && options.autoPrompt)) slugs.push(`${DEFAULT_VAULT_ID}@prompt_ask_vault_pass`);
  for (const slug of slugs) {
    if (slug.includes(';')) throw new VaultError(`'${slug}' is not a valid vault id. The character ';' is not allowed in vault ids`);
  }
  const secrets: VaultSecret[] = [];
  let lastError: unknown;
  for (const slug of slugs) {
    const { label, source } = splitVaultId(slug);
    const id = label || DEFAULT_VAULT_ID;
    if (PROMPT_SOURCES.has(source)) {
      secrets.push({ id, password: await promptPassword(id, source === 'prompt', options.newPassword, ask) });
      continue;
    }
    try {
      secrets.push({ id, password: readPasswordSource(resolve(cwd, source), label) });
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      warn(`Error getting vault password file (${label ?? 'None'}): ${error.message}`);
      lastError = error;
    }
  }
  if (secrets.length === 0 && lastError) throw lastError;
  return secrets;
}

async function promptPassword(id: string, withId: boolean, twice: boolean, ask: AskPassword): Promise<Buffer> {
  const prompts = twice
    ? withId ? [`New vault password (${id}): `, `Confirm new vault password (${id}): `] : ['New Vault password: ', 'Confirm New Vault password: ']
    : [withId ? `Vault password (${id}): ` : 'Vault password: '];
  const answers: string[] = [];
  for (const prompt of prompts) {
    const answer = await ask(prompt);
    if (answer === '') throw new VaultError('Invalid vault password was provided');
    answers.push(answer.trim());
  }
  if (answers.some((answer) => answer !== answers[0])) throw new VaultError('Passwords do not match');
  return Buffer.from(answers[0] as string, 'utf8');
}

/** get_file_vault_secret: a file's stripped content, or the output of an executable file. */
function readPasswordSource(path: string, label: string | undefined): Buffer {
  if (!existsSync(path)) throw new VaultError(`The vault password file ${path} was not found`);
  const script = isExecutableFile(path);
  const password = script ? runPasswordScript(path, label) : readPasswordFile(path);
  if (password.length === 0) throw new VaultError(`Invalid vault password was provided from ${script ? 'script' : 'file'} (${path})`);
  return password;
}

function readPasswordFile(path: string): Buffer {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    throw new VaultError(`Could not read vault password file ${path}: ${(error as Error).message}`);
  }
  return trimBytes(raw, ' \t\n\r\f\v');
}

/** A script named `*-client[.ext]` is asked for the vault id (ClientScriptVaultSecret). */
function runPasswordScript(path: string, label: string | undefined): Buffer {
  const isClient = basename(path, extname(path)).endsWith('-client');
  const args = isClient && label ? ['--vault-id', label] : [];
  try {
    return trimBytes(execFileSync(path, args, { stdio: ['inherit', 'pipe', isClient ? 'pipe' : 'inherit'] }), '\r\n');
  } catch (error) {
    const status = (error as { status?: number }).status;
    throw new VaultError(`Vault password script ${path} returned non-zero (${status ?? 'unknown'})`);
  }
}

export function isExecutableFile(path: string): boolean {
  if (!statSync(path).isFile()) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function trimBytes(data: Buffer, characters: string): Buffer {
  const strip = new Set([...characters].map((ch) => ch.charCodeAt(0)));
  let start = 0;
  let end = data.length;
  while (start < end && strip.has(data[start] as number)) start += 1;
  while (end > start && strip.has(data[end - 1] as number)) end -= 1;
  return data.subarray(start, end);
}
