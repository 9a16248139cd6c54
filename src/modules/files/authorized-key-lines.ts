import { splitLines } from '../../template/python/text.js';

/**
 * The authorized_keys model of ansible.posix's authorized_key module (parsekey, parseoptions,
 * parsekeys, serialize, enforce_state), kept to its quirks, since they decide the file's
 * bytes: a rewritten file loses duplicate blank or comment lines, normalises the spacing of
 * every key line (and writes `TYPE KEY \n`, with a space, for a key without comment), and a
 * key whose options or comment change moves to the end of the file.
 */

/** https://github.com/ansible-collections/ansible.posix/blob/main/plugins/modules/authorized_key.py (VALID_SSH2_KEY_TYPES) */
const KEY_TYPES = new Set([
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'sk-ssh-ed25519@openssh.com',
  'sk-ssh-ed25519-cert-v01@openssh.com',
  'ssh-ed25519',
  'ssh-ed25519-cert-v01@openssh.com',
  'ssh-dss',
  'ssh-rsa',
  'ssh-xmss@openssh.com',
  'ssh-xmss-cert-v01@openssh.com',
  'rsa-sha2-256',
  'rsa-sha2-512',
  'ssh-rsa-cert-v01@openssh.com',
  'rsa-sha2-256-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com',
  'ssh-dss-cert-v01@openssh.com',
]);

/** Key options in their written order; a name may repeat (the module's `keydict`). */
export type KeyOptions = [name: string, value: string | null][];

/** A parsed line: a key, or a line kept as written (`skipped`: comments, blank and unparsable lines). */
export type KeyEntry =
  | { kind: 'key'; id: string; type: string; options: KeyOptions; comment: string; rank: number }
  | { kind: 'skipped'; id: string; rank: number };

export class InvalidKeyLine extends Error {}

// Splits on commas outside quotes; what lies between the matches are the separators.
const OPTION_PART = /((?:[^,"']|"[^"]*"|'[^']*')+)/;

export function parseOptions(text: string | null): KeyOptions {
  const options: KeyOptions = [];
  if (!text) return options;
  for (const part of text.split(OPTION_PART).slice(1, -1)) {
    const equals = part.indexOf('=');
    if (equals >= 0) options.push([part.slice(0, equals), part.slice(equals + 1)]);
    else if (part !== ',') options.push([part, null]);
  }
  return options;
}

/** parsekey: null when the line holds no known key type. shlex without quotes splits on blanks only. */
export function parseKey(raw: string, rank: number): KeyEntry | null {
  const text = raw.split('\\#').join('#');
  const parts = text.split(/[ \t\r\n]+/).filter((part) => part !== '');
  if (parts[0] === '#') return { kind: 'skipped', id: text, rank };
  const typeIndex = parts.findIndex((part) => KEY_TYPES.has(part));
  if (typeIndex < 0) return null;
  const id = parts[typeIndex + 1];
  // The module indexes past the end here and fails with an IndexError.
  if (id === undefined) throw new InvalidKeyLine(`invalid key specified: ${raw.trimEnd()}`);
  const options = parseOptions(typeIndex > 0 ? parts.slice(0, typeIndex).join(' ') : null);
  return { kind: 'key', id, type: parts[typeIndex] as string, options, comment: parts.slice(typeIndex + 2).join(' '), rank };
}

/** parsekeys: by key (or by the whole line when skipped); a later duplicate keeps the first one's place but takes its rank. */
export function parseKeyFile(content: string): Map<string, KeyEntry> {
  const keys = new Map<string, KeyEntry>();
  splitLines(content, true).forEach((line, rank) => {
    const entry = parseKey(line, rank) ?? { kind: 'skipped', id: line, rank };
    keys.set(entry.id, entry);
  });
  return keys;
}

/** keydict equality: a dict of name → values, so the order of different names does not count. */
function sameOptions(a: KeyOptions, b: KeyOptions): boolean {
  const grouped = (options: KeyOptions) => {
    const byName = new Map<string, (string | null)[]>();
    for (const [name, value] of options) byName.set(name, [...(byName.get(name) ?? []), value]);
    return byName;
  };
  const left = grouped(a);
  const right = grouped(b);
  if (left.size !== right.size) return false;
  for (const [name, values] of left) {
    const others = right.get(name);
    if (!others || others.length !== values.length || values.some((value, index) => value !== others[index])) return false;
  }
  return true;
}

function sameKey(a: KeyEntry, b: KeyEntry): boolean {
  if (a.kind !== 'key' || b.kind !== 'key') return a.kind === b.kind && a.id === b.id;
  return a.id === b.id && a.type === b.type && a.comment === b.comment && sameOptions(a.options, b.options);
}

export function serializeKeys(keys: Map<string, KeyEntry>): string {
  // Array.prototype.sort is stable, as Python's sorted is: equal ranks keep the map's order.
  return [...keys.values()]
    .sort((a, b) => a.rank - b.rank)
    .map((entry) => {
      if (entry.kind === 'skipped') return entry.id;
      const options = entry.options.map(([name, value]) => (value === null ? name : `${name}=${value}`)).join(',');
      return `${options ? `${options} ` : ''}${entry.type} ${entry.id} ${entry.comment}\n`;
    })
    .join('');
}

export interface KeyRequest {
  /** The `key` text, already fetched: one or more lines. */
  keys: string;
  present: boolean;
  exclusive: boolean;
  keyOptions: string | null;
  comment: string | null;
}

/** enforce_state's edit: the new content, or null when the file is left alone. */
export function editKeyFile(existing: string, request: KeyRequest): string | null {
  const wanted = splitLines(request.keys, false).filter((line) => line && !line.startsWith('#'));
  const keys = parseKeyFile(existing);
  const maxRank = keys.size;
  const keep = new Set<string>();
  let write = false;
  wanted.forEach((line, rank) => {
    const parsed = parseKey(line, rank);
    if (!parsed || parsed.kind !== 'key') throw new InvalidKeyLine(`invalid key specified: ${line}`);
    const key = {
      ...parsed,
      options: request.keyOptions !== null ? parseOptions(request.keyOptions) : parsed.options,
      comment: request.comment ?? parsed.comment,
    };
    const current = keys.get(key.id);
    const matched = current !== undefined && (!request.present || sameKey(key, current));
    if (request.present) {
      keep.add(key.id);
      if (current !== undefined && !matched) {
        keys.delete(key.id);
        write = true;
      }
      if (!matched) {
        keys.set(key.id, { ...key, rank: maxRank + rank });
        write = true;
      }
    } else if (matched) {
      keys.delete(key.id);
      write = true;
    }
  });
  if (request.present && request.exclusive) {
    for (const id of [...keys.keys()]) {
      if (keep.has(id)) continue;
      keys.delete(id);
      write = true;
    }
  }
  return write ? serializeKeys(keys) : null;
}
