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
  user: string;
  uid: number;
  home: string;
}

/**
 * Three processes (uname, stat, id): the connection's shell already knows how its base64
 * decodes (`$__fleet_b64d`, connections/shell-scripts.ts), and one `id` gives name and uid.
 */
export const USERLAND_PROBE = `# shellcheck disable=SC2046 # uname's two words are wanted apart
set -- $(uname -s -m)
printf '%s\\n%s\\n' "$1" "$2"
if stat -c %a / >/dev/null 2>&1; then echo gnu; else echo bsd; fi
if command -v sha1sum >/dev/null 2>&1; then echo sha1sum; elif command -v shasum >/dev/null 2>&1; then echo shasum; else echo openssl; fi
if [ -n "\${__fleet_b64d-}" ]; then echo "$__fleet_b64d"; elif printf 'YQ==' | base64 -d >/dev/null 2>&1; then echo -d; else echo -D; fi
fleet_ids=$(LC_ALL=C id)
fleet_uid=\${fleet_ids#uid=} fleet_uid=\${fleet_uid%%[!0-9]*}
case $fleet_ids in
  "uid=$fleet_uid("*) fleet_user=\${fleet_ids#*"("} fleet_user=\${fleet_user%%")"*} ;;
  *) fleet_user=$fleet_uid ;;
esac
printf '%s\\n%s\\n' "$fleet_user" "$fleet_uid"
printf '%s\\n' "$HOME"
`;

export function parseUserland(host: string, stdout: string): Userland {
  const lines = stdout.split('\n');
  if (lines.length < 8) throw new ConnectionError(`${host}: could not probe the host's userland (got ${JSON.stringify(stdout)})`);
  const [system, machine, stat, sha1, base64Decode, user, uid, home] = lines as [string, string, string, string, string, string, string, string];
  return {
    system,
    machine,
    stat: stat === 'gnu' ? 'gnu' : 'bsd',
    sha1: sha1 === 'sha1sum' || sha1 === 'shasum' ? sha1 : 'openssl',
    base64Decode: base64Decode === '-D' ? '-D' : '-d',
    user,
    uid: Number(uid),
    home,
  };
}
