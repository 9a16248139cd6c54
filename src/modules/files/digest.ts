import { Script } from '../../shell/script.js';

/** Checksum algorithms Ansible's stat and others accept, mapped to their bit sizes. */
export const DIGEST_ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

/**
 * `fleet_digest ALGO PATH` sets fleet_digest_hex to the hex digest (empty when the file
 * cannot be read) with whatever the host has: coreutils `<algo>sum`, Perl's `shasum`
 * (macOS), `md5 -q` (BSD) or openssl. The digest is cut out by the shell, not by cut or
 * sed, so a call forks one process.
 */
export function digestFunction(): Script {
  return Script.library(`fleet_digest() {
  if command -v "$1sum" >/dev/null 2>&1; then fleet_digest_hex=$("$1sum" < "$2") || fleet_digest_hex=''; fleet_digest_hex=\${fleet_digest_hex%% *}
  elif [ "$1" = md5 ] && command -v md5 >/dev/null 2>&1; then fleet_digest_hex=$(md5 -q < "$2") || fleet_digest_hex=''
  elif [ "$1" != md5 ] && command -v shasum >/dev/null 2>&1; then fleet_digest_hex=$(shasum -a "\${1#sha}" < "$2") || fleet_digest_hex=''; fleet_digest_hex=\${fleet_digest_hex%% *}
  else fleet_digest_hex=$(openssl dgst "-$1" < "$2") || fleet_digest_hex=''; fleet_digest_hex=\${fleet_digest_hex##* }; fi
}`);
}
