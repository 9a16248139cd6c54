import type { SourceLocation } from '../errors.js';
import type { SecretRegistry } from '../secrets/registry.js';
import { PyDict, PyTuple, type PyValue, type VaultDecrypt } from '../template/values.js';
import { isVaulted } from './envelope.js';
import { VaultError } from './errors.js';
import type { Vault } from './vault.js';

/** The vault secrets of one run, and the registry every plaintext they reveal is added to. */
export interface VaultRun {
  vault: Vault;
  secrets: SecretRegistry;
}

// Loaders deep in the pipeline (YAML files, inventories, copy's src) read files through
// the run's vault without every signature on the way carrying it, as Ansible's DataLoader does.
// A plain variable, not an AsyncLocalStorage: that one makes Node 20 run promise hooks on
// every promise of the process, a few percent of a run's CPU. The price is one run at a time
// per process, which holds (the CLI runs one; audit, rollback and pull run theirs in turn; the
// webhook deploys in a child process) and which withVault enforces.
let activeRun: VaultRun | undefined;

/** Runs `body` (and everything it awaits) with `run`'s vault secrets; one run at a time. */
export async function withVault<T>(run: VaultRun, body: () => Promise<T>): Promise<T> {
  if (activeRun) throw new Error('a fleet run is already in progress in this process: runs with vault secrets cannot overlap');
  activeRun = run;
  try {
    return await body();
  } finally {
    activeRun = undefined;
  }
}

/** A file's bytes as Ansible's loader reads them: decrypted when vaulted, the plaintext a run secret. */
export function unvaultBytes(data: Buffer, file: string): Buffer {
  if (!isVaulted(data)) return data;
  const run = activeRun;
  const at = { file, line: 1, col: 1 };
  if (!run) throw new VaultError('Attempting to decrypt but no vault secrets found', { location: at });
  try {
    const { plaintext } = run.vault.decrypt(data, file);
    run.secrets.add(plaintext.toString('utf8'));
    return plaintext;
  } catch (error) {
    if (error instanceof VaultError) throw new VaultError(error.message, { location: at });
    throw error;
  }
}

export function unvaultText(text: string, file: string): string {
  return isVaulted(text) ? unvaultBytes(Buffer.from(text, 'utf8'), file).toString('utf8') : text;
}

/**
 * How a `!vault` value loaded at `at` decrypts when it is first used, with the vault of the
 * run that loaded it; a failure names the value's position.
 */
export function vaultValueDecrypter(at: SourceLocation): VaultDecrypt | undefined {
  const run = activeRun;
  if (!run || run.vault.secrets.length === 0) return undefined;
  return (ciphertext) => {
    try {
      const text = run.vault.decrypt(ciphertext).plaintext.toString('utf8');
      run.secrets.add(text);
      return text;
    } catch (error) {
      if (error instanceof VaultError) throw new VaultError(error.message, { location: at });
      throw error;
    }
  };
}

/** Every string in the data of a vaulted file is a secret of the run, for masking. */
export function rememberSecretsIn(value: PyValue): void {
  const run = activeRun;
  if (!run) return;
  const visit = (v: PyValue): void => {
    if (typeof v === 'string') run.secrets.add(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v instanceof PyTuple) v.items.forEach(visit);
    else if (v instanceof PyDict) [...v.values()].forEach(visit);
  };
  visit(value);
}
