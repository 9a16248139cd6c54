import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServerHostKeyAlgorithm } from 'ssh2';
import { ConnectionError } from '../errors.js';
import {
  checkHostKey,
  entryMatchesHost,
  hostLookupName,
  keyTypeOfBlob,
  knownHostsLine,
  parseKnownHosts,
  sha256Fingerprint,
  type KnownHostEntry,
} from './known_hosts.js';
import type { SshTarget } from './types.js';

/**
 * Applies `hostKeyChecking` to the key a server presented: `strict` accepts only keys in the
 * known_hosts file, `accept-new` also appends keys of hosts it has never seen (like OpenSSH's
 * StrictHostKeyChecking=accept-new), `off` accepts anything. A changed or revoked key is
 * refused unless checking is off. Returns the refusal, or undefined to accept.
 */
export function refusalForHostKey(target: SshTarget, key: Buffer): ConnectionError | undefined {
  if (target.hostKeyChecking === 'off') return undefined;
  const presented = { keyType: keyTypeOfBlob(key), key };
  const shown = `${presented.keyType} ${sha256Fingerprint(key)}`;
  const lookupName = hostLookupName(target.address, target.port);
  const where = `${target.host} (${target.address}:${target.port})`;
  const file = target.knownHostsFile;
  const verdict = checkHostKey(readEntries(file), lookupName, presented);
  switch (verdict.kind) {
    case 'known':
      return undefined;
    case 'revoked':
      return new ConnectionError(`${where}: the server presented a revoked host key ${shown} (${file}:${verdict.entry.line})`);
    case 'changed': {
      const expected = verdict.expected.map((entry) => `${sha256Fingerprint(entry.key)} (${file}:${entry.line})`).join(', ');
      return new ConnectionError(
        `${where}: HOST KEY HAS CHANGED: the server presented ${shown} but known_hosts expects ${expected}; ` +
          `if the host was rebuilt, remove the old key with ssh-keygen -R '${lookupName}' -f ${file}`,
      );
    }
    case 'unknown': {
      const authority = verdict.certAuthorities[0];
      if (authority) {
        return new ConnectionError(
          `${where}: ${file}:${authority.line} trusts host certificates from a @cert-authority, which fleet does not support; add the host's own key to known_hosts`,
        );
      }
      if (target.hostKeyChecking === 'accept-new') {
        mkdirSync(dirname(file), { recursive: true });
        appendFileSync(file, knownHostsLine(lookupName, presented));
        return undefined;
      }
      const others = verdict.otherKeys.length > 0 ? ` (known only with ${verdict.otherKeys.map((e) => e.keyType).join(', ')} keys)` : '';
      return new ConnectionError(
        `${where}: host key is not known: the server presented ${shown}, which is not in ${file}${others} and host key checking is strict`,
      );
    }
  }
}

/**
 * Host key algorithms to ask the server for first: the types already known for this host,
 * so a host known by its ECDSA key is not refused for offering ED25519 first (ssh does the same).
 */
export function knownHostKeyAlgorithms(target: SshTarget): ServerHostKeyAlgorithm[] {
  if (target.hostKeyChecking === 'off') return [];
  const lookupName = hostLookupName(target.address, target.port);
  const types = readEntries(target.knownHostsFile)
    .filter((entry) => entry.marker === undefined && entryMatchesHost(entry, lookupName))
    .flatMap((entry) => ALGORITHMS_FOR_KEY_TYPE[entry.keyType] ?? []);
  return [...new Set(types)];
}

const ALGORITHMS_FOR_KEY_TYPE: Record<string, ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** Every host of a run reads the same file, twice: parse each text once (an appended key is a new text). */
const parsed = new Map<string, { text: string; entries: KnownHostEntry[] }>();

function readEntries(file: string): KnownHostEntry[] {
  try {
    const text = readFileSync(file, 'utf8');
    const known = parsed.get(file);
    if (known?.text === text) return known.entries;
    const entries = parseKnownHosts(text);
    parsed.set(file, { text, entries });
    return entries;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
