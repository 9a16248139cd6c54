import { createHash, createHmac } from 'node:crypto';

/**
 * OpenSSH known_hosts files (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): plain host patterns with
 * `*`/`?` wildcards and `!` negation, `[host]:port` for non-22 ports, hashed `|1|salt|hmac`
 * names, and the `@revoked` / `@cert-authority` markers.
 */
export interface KnownHostEntry {
  /** 1-based line in the file, for messages. */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  hostField: string;
  keyType: string;
  key: Buffer;
}

export interface PresentedKey {
  keyType: string;
  key: Buffer;
}

export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostEntry }
  | { kind: 'revoked'; entry: KnownHostEntry }
  /** Entries for this host with the presented key type but another key. */
  | { kind: 'changed'; expected: KnownHostEntry[] }
  /** No entry for this key type; `otherKeys` are entries for this host with other types. */
  | { kind: 'unknown'; otherKeys: KnownHostEntry[]; certAuthorities: KnownHostEntry[] };

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0]?.startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [hostField, keyType, keyBase64] = fields;
    // Malformed lines are skipped, as ssh does.
    if (!hostField || !keyType || !keyBase64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(keyBase64)) return;
    const entry: KnownHostEntry = { line: index + 1, hostField, keyType, key: Buffer.from(keyBase64, 'base64') };
    if (marker) entry.marker = marker;
    entries.push(entry);
  });
  return entries;
}

/** The name ssh looks up: `host` on port 22, `[host]:port` otherwise. */
export function hostLookupName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

export function entryMatchesHost(entry: KnownHostEntry, lookupName: string): boolean {
  if (entry.hostField.startsWith('|1|')) return hashedNameMatches(entry.hostField, lookupName);
  return patternListMatches(entry.hostField, lookupName.toLowerCase());
}

/** Checks a presented key the way ssh's check_host_in_hostfile does. */
export function checkHostKey(entries: KnownHostEntry[], lookupName: string, presented: PresentedKey): HostKeyVerdict {
  const forHost = entries.filter((entry) => entryMatchesHost(entry, lookupName));
  const sameKey = (entry: KnownHostEntry) => entry.keyType === presented.keyType && entry.key.equals(presented.key);
  const revoked = forHost.find((entry) => entry.marker === 'revoked' && sameKey(entry));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = forHost.filter((entry) => entry.marker === undefined);
  const known = plain.find(sameKey);
  if (known) return { kind: 'known', entry: known };
  const sameType = plain.filter((entry) => entry.keyType === presented.keyType);
  if (sameType.length > 0) return { kind: 'changed', expected: sameType };
  return {
    kind: 'unknown',
    otherKeys: plain,
    certAuthorities: forHost.filter((entry) => entry.marker === 'cert-authority'),
  };
}

/** A line as `ssh` writes it with `HashKnownHosts no`. */
export function knownHostsLine(lookupName: string, presented: PresentedKey): string {
  return `${lookupName} ${presented.keyType} ${presented.key.toString('base64')}\n`;
}

/** OpenSSH's fingerprint format: `SHA256:` + unpadded base64 of the key blob's digest. */
export function sha256Fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type is the first string inside an SSH public key blob (RFC 4253 §6.6). */
export function keyTypeOfBlob(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  return key.toString('latin1', 4, 4 + Math.min(length, key.length - 4));
}

function hashedNameMatches(hostField: string, lookupName: string): boolean {
  const [, , salt, hash] = hostField.split('|');
  if (!salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(lookupName).digest();
  return digest.equals(Buffer.from(hash, 'base64'));
}

/** A negated pattern that matches wins over any positive one (match_hostname in match.c). */
function patternListMatches(list: string, name: string): boolean {
  let matched = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
    if (!wildcardMatches(pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function wildcardMatches(pattern: string, name: string): boolean {
  // Most entries are plain names: no pattern to compile (a run checks every entry per host).
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === name;
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 's').test(name);
}
