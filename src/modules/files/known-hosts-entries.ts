import { createHmac, randomBytes } from 'node:crypto';

/**
 * The controller-side half of ansible.builtin.known_hosts (lib/ansible/modules/known_hosts.py):
 * hashing a key's host, reading what `ssh-keygen -F` found, and the file the module writes.
 * The host runs ssh-keygen itself, as the module does, so matching names (hashed or not) is
 * ssh-keygen's own.
 */

/** hash_host_key: the host field becomes |1|salt|HMAC-SHA1(salt, host), with a fresh salt. */
export function hashHostKey(host: string, key: string): string {
  const salt = randomBytes(20);
  const hashed = createHmac('sha1', salt).update(host, 'utf8').digest();
  const parts = key.trim().split(/\s+/);
  const at = (parts[0] ?? '').startsWith('@') ? 1 : 0;
  parts[at] = `|1|${salt.toString('base64')}|${hashed.toString('base64')}`;
  return parts.join(' ');
}

interface NormalizedKey {
  options?: string;
  host: string;
  type: string;
  key: string;
}

/** normalize_known_hosts_key: the marker (@cert-authority, @revoked), host, type and key; the rest dropped. */
function normalizeKey(line: string): NormalizedKey {
  const k = line.trim().split(/\s+/);
  const field = (index: number) => k[index] ?? '';
  if (field(0).startsWith('@')) return { options: field(0), host: field(1), type: field(2), key: field(3) };
  return { host: field(0), type: field(1), key: field(2) };
}

function sameKey(a: NormalizedKey, b: NormalizedKey): boolean {
  return a.options === b.options && a.host === b.host && a.type === b.type && a.key === b.key;
}

export interface HostKeySearch {
  found: boolean;
  replaceOrAdd: boolean;
  foundLine: number | null;
}

/**
 * search_for_host_key after `ssh-keygen -F` found the host: its `# Host … found: line N`
 * comments name the line of each entry that follows.
 */
export function searchFoundKeys(stdout: string, key: string | null): HostKeySearch {
  if (!key) return { found: true, replaceOrAdd: false, foundLine: null };
  const wanted = normalizeKey(key);
  let foundLine: number | null = null;
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const match = /found: line (\d+)/.exec(line);
      if (match) foundLine = Number(match[1]);
      continue;
    }
    const found = normalizeKey(line);
    // An entry that is already hashed keeps its own hash.
    if (wanted.host.startsWith('|1|') && found.host.startsWith('|1|')) wanted.host = found.host;
    if (sameKey(wanted, found)) return { found: true, replaceOrAdd: false, foundLine };
    if (wanted.type === found.type) return { found: true, replaceOrAdd: true, foundLine };
  }
  return { found: true, replaceOrAdd: true, foundLine: null };
}

/** Python's text-mode line iteration over a file: universal newlines, each line keeping its "\n". */
export function textLines(content: string): string[] {
  return content.replace(/\r\n?/g, '\n').split(/(?<=\n)/).filter((line) => line !== '');
}

/** compute_diff's "after", which is also what the module writes (minus the line it drops). */
export function editedLines(before: string, search: HostKeySearch, present: boolean, key: string | null): string {
  const lines = textLines(before);
  const { foundLine, replaceOrAdd } = search;
  if ((replaceOrAdd || !present) && foundLine !== null && foundLine >= 1 && foundLine <= lines.length) lines.splice(foundLine - 1, 1);
  if (present && key !== null && (replaceOrAdd || foundLine === null)) lines.push(key);
  return lines.join('');
}
