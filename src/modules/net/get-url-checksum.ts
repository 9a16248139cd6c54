import { DIGEST_ALGORITHMS, type DigestAlgorithm } from '../files/digest.js';

/** A checksum get_url compares: the hashlib algorithm and lowercase hex digits. */
export interface Checksum {
  algorithm: DigestAlgorithm;
  hex: string;
}

/** The checksum option split at its first colon (`algorithm:value`), with the value a URL or not. */
export type ChecksumOption = { algorithm: string; value: string; url: boolean } | null | { error: string };

export function splitChecksum(option: string): ChecksumOption {
  if (option === '') return null;
  const colon = option.indexOf(':');
  if (colon < 0) return { error: 'The checksum parameter has to be in format <algorithm>:<checksum>' };
  const value = option.slice(colon + 1);
  // get_url's is_url: urlsplit's scheme is http, https, ftp or file.
  return { algorithm: option.slice(0, colon), value, url: /^(https?|ftp|file):/i.test(value) };
}

/** url_filename: the URL path's last part, or index.html. */
export function urlFilename(url: string): string {
  const path = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(url)?.[1] ?? '';
  return path.slice(path.lastIndexOf('/') + 1) || 'index.html';
}

/**
 * The checksum a downloaded checksum file gives for FILENAME, read as get_url reads it: a
 * lone digest stands for the file; otherwise `digest name` lines (a `*` or second space
 * before the name dropped, leading `.` and `/` stripped from it). Null when none names it.
 */
export function checksumFromList(text: string, filename: string): string | null {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 1 && lines[0]!.trim().split(/\s+/).length === 1) return lines[0]!;
  for (const line of lines) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    let name = line.slice(space + 1);
    if (name.startsWith(' ') || name.startsWith('*')) name = name.slice(1);
    if (name.replace(/^[./]+/, '') === filename) return line.slice(0, space);
  }
  return null;
}

/** get_url's clean-up of a checksum (non-word characters out, lowercase) and its checks. */
export function normalizedChecksum(algorithm: string, value: string): Checksum | { error: string } {
  const hex = value.replace(/[^\p{L}\p{N}_]+/gu, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) return { error: 'The checksum format is invalid' };
  if (!(DIGEST_ALGORITHMS as readonly string[]).includes(algorithm)) return { error: `fleet's get_url checks only ${DIGEST_ALGORITHMS.join(', ')} checksums, not ${algorithm}` };
  return { algorithm: algorithm as DigestAlgorithm, hex };
}
