import { Script } from '../../shell/script.js';

/** Checksum algorithms Ansible's stat and others accept, mapped to their bit sizes. */
export const DIGEST_ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

/**
 * `fleet_digest ALGO PATH` prints the hex digest with whatever the host has: coreutils
 * `<algo>sum`, Perl's `shasum` (macOS), `md5 -q` (BSD) or openssl.
 */
export function digestFunction(): Script {
  return Script.library(`fleet_digest() {
  if command -v "$1sum" >/dev/null 2>&1; then "$1sum" < "$2" | cut -d' ' -f1
  elif [ "$1" = md5 ] && command -v md5 >/dev/null 2>&1; then md5 -q < "$2"
  elif [ "$1" != md5 ] && command -v shasum >/dev/null 2>&1; then shasum -a "\${1#sha}" < "$2" | cut -d' ' -f1
  else openssl dgst "-$1" < "$2" | sed 's/^.* //'; fi
}`);
}
