import { ConnectionError } from '../errors.js';

/**
 * What differs between the hosts fleet renders shell for (GNU/Linux vs macOS's BSD
 * userland). Probed once per host per run, so module scripts never branch on it at run time.
 */
export interface Userland {
  /** `uname -s`: Linux, Darwin… */
  system: string;
  machine: string;
  stat: 'gnu' | 'bsd';
  sha1: 'sha1sum' | 'shasum' | 'openssl';
  /** Flag that makes `base64` decode (`-d` on GNU and recent macOS, `-D` on old macOS). */
  base64Decode: '-d' | '-D';
  /** `uname -snrvm`'s line, which Gathering Facts reads instead of running uname again. */
  uname: string;
  home: string;
}

/**
 * No process on Linux, one elsewhere (stat): the connection's shell already ran uname and
 * knows how its base64 decodes (`$__fleet_uname`, `$__fleet_b64d`: connections/shell-scripts.ts;
 * a shell without them runs uname here). Every Linux stat (GNU, busybox, toybox) takes -c;
 * elsewhere stat is BSD's unless GNU's comes first in PATH (Homebrew's gnubin), so it is asked.
 */
export const USERLAND_PROBE = `fleet_uname=\${__fleet_uname-$(uname -snrvm)}
printf '%s\\n' "$fleet_uname"
case $fleet_uname in
  'Linux '*) echo gnu ;;
  *) if stat -c %a / >/dev/null 2>&1; then echo gnu; else echo bsd; fi ;;
esac
if command -v sha1sum >/dev/null 2>&1; then echo sha1sum; elif command -v shasum >/dev/null 2>&1; then echo shasum; else echo openssl; fi
if [ -n "\${__fleet_b64d-}" ]; then echo "$__fleet_b64d"; elif printf 'YQ==' | base64 -d >/dev/null 2>&1; then echo -d; else echo -D; fi
printf '%s\\n' "$HOME"
`;

export function parseUserland(host: string, stdout: string): Userland {
  const lines = stdout.split('\n');
  if (lines.length < 6) throw new ConnectionError(`${host}: could not probe the host's userland (got ${JSON.stringify(stdout)})`);
  const [uname, stat, sha1, base64Decode, home] = lines as [string, string, string, string, string];
  // uname prints its fields in -snrvm order whatever the flag order: the system first, the machine last.
  const words = uname.split(' ');
  return {
    system: words[0] as string,
    machine: words[words.length - 1] as string,
    stat: stat === 'gnu' ? 'gnu' : 'bsd',
    sha1: sha1 === 'sha1sum' || sha1 === 'shasum' ? sha1 : 'openssl',
    base64Decode: base64Decode === '-D' ? '-D' : '-d',
    uname,
    home,
  };
}
