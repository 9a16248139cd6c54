import { PyDict } from '../template/values.js';
import { keyValueLines, one, type Collected, type FactFamily } from './family.js';

/**
 * `cksum` of Debian 12's lsb_release (lsb-release 12.0-1, "minimal implementation"): a sh
 * script that sources os-release and reformats five of its variables, forking about a dozen
 * processes (getopt, cut, tr) to do it. When the host's lsb_release is that script, fleet
 * sends back the file it would source and formats it here; test/facts/lsb.test.ts runs the
 * real script against the same files.
 */
const MINIMAL_LSB_RELEASE = '1464282447 2651';

/**
 * module_utils/facts/system/lsb.py: `lsb_release -a`, else /etc/lsb-release. The os-release
 * file is used for the minimal lsb_release only when every line is a comment or a plain
 * `KEY=value` (quoted without `$`, backquote or backslash), where reading it as
 * keyValueLines does and sourcing it as the script does agree; otherwise the script runs.
 */
export const lsbFacts: FactFamily = {
  name: 'lsb',
  collector: 'lsb',
  needs: ['env'],
  // lsb_release is looked up in PATH by the shell itself (an empty entry is the working
  // directory), as `command -v` would but without a subshell to hand back its answer.
  // The os-release files as read (fleet_read_files' $fleet_os_release and _lib).
  files: { os_release: '/etc/os-release', os_release_lib: '/usr/lib/os-release' },
  command: `# Sets fleet_lsb_run unless every line of text $1 is a comment or a plain KEY=value.
fleet_lsb_plain_text() {
  fleet_split_lines
  # shellcheck disable=SC2086
  set -- $1
  fleet_split_words
  for fleet_line do
    case $fleet_line in '#'*) continue ;; esac
    fleet_key=\${fleet_line%%=*} fleet_value=\${fleet_line#*=}
    case $fleet_key in "$fleet_line"|''|[0-9]*|*[!A-Za-z0-9_]*) fleet_lsb_run=1 ;; esac
    case $fleet_value in
      \\"*\\") fleet_value=\${fleet_value#?} fleet_value=\${fleet_value%?}; case $fleet_value in *[\\"\\$\\\`\\\\]*) fleet_lsb_run=1 ;; esac ;;
      \\'*\\') fleet_value=\${fleet_value#?} fleet_value=\${fleet_value%?}; case $fleet_value in *[\\'\\\\]*) fleet_lsb_run=1 ;; esac ;;
      *[!A-Za-z0-9._/:+@%,=-]*) fleet_lsb_run=1 ;;
    esac
  done
}
fleet_lsb='' fleet_path=$PATH:
while [ -n "$fleet_path" ]; do
  fleet_d=\${fleet_path%%:*} fleet_path=\${fleet_path#*:}
  if [ -f "\${fleet_d:-.}/lsb_release" ] && [ -x "\${fleet_d:-.}/lsb_release" ]; then fleet_lsb=\${fleet_d:-.}/lsb_release; break; fi
done
if [ -n "$fleet_lsb" ]; then
  fleet_lsb_run=1
  if [ "$(cksum < "$fleet_lsb")" = '${MINIMAL_LSB_RELEASE}' ]; then
    fleet_f=''
    [ -f /usr/lib/os-release ] && fleet_f=/usr/lib/os-release
    [ -f /etc/os-release ] && fleet_f=/etc/os-release
    [ "\${LSB_OS_RELEASE-x}" != x ] && [ -f "$LSB_OS_RELEASE" ] && fleet_f=$LSB_OS_RELEASE
    fleet_text='' fleet_lsb_run=''
    if [ -n "$fleet_f" ] && [ ! -r "$fleet_f" ]; then fleet_lsb_run=1
    elif [ -n "$fleet_f" ]; then
      case $fleet_f in
        /etc/os-release) fleet_text=$fleet_os_release ;;
        /usr/lib/os-release) fleet_text=$fleet_os_release_lib ;;
        *) while IFS= read -r fleet_line || [ -n "$fleet_line" ]; do fleet_text="$fleet_text$fleet_line$fleet_nl"; done < "$fleet_f" ;;
      esac
      fleet_lsb_plain_text "$fleet_text"
    fi
    [ -n "$fleet_lsb_run" ] || fleet_emit minimal "$fleet_text"
  fi
  [ -z "$fleet_lsb_run" ] || fleet_emit lsb_release "$("$fleet_lsb" -a 2>/dev/null)"
elif [ -r /etc/lsb-release ]; then fleet_emit_lines lsb_file /etc/lsb-release; fi`,
  parse(output, collected) {
    const lsb = new PyDict();
    if (output.has('lsb_release') || output.has('minimal')) {
      const text = output.has('minimal') ? minimalLsbRelease(one(output, 'minimal'), collected) : one(output, 'lsb_release');
      const labels: Record<string, string> = { 'Distributor ID': 'id', Description: 'description', Release: 'release', Codename: 'codename' };
      for (const line of text.split('\n')) {
        const colon = line.indexOf(':');
        const key = labels[line.slice(0, colon)];
        if (colon > 0 && key) lsb.set(key, line.slice(colon + 1).trim());
      }
    } else if (output.has('lsb_file')) {
      const values = keyValueLines(one(output, 'lsb_file'));
      const map: Record<string, string> = { DISTRIB_ID: 'id', DISTRIB_RELEASE: 'release', DISTRIB_DESCRIPTION: 'description', DISTRIB_CODENAME: 'codename' };
      for (const [name, key] of Object.entries(map)) if (values.has(name)) lsb.set(key, values.get(name) as string);
    }
    if (lsb.has('release')) lsb.set('major_release', String(lsb.get('release')).split('.')[0] as string);
    // Python's sorted(): by code point (localeCompare also builds an ICU collator per call).
    return { lsb: new PyDict([...lsb].sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0))) };
  },
};

/**
 * What the minimal lsb_release prints for `-a`, given the os-release text it sources over
 * its environment (the env facts, when gathered): ID with its first letter upper-cased
 * (bytewise, ASCII only: cut -c1 | tr under C.UTF-8), or NAME when the two differ only in
 * ASCII case; `n/a` for what is empty.
 */
function minimalLsbRelease(osRelease: string, collected: Collected): string {
  const env = collected.get('env');
  const vars = new Map<string, string>();
  if (env instanceof PyDict) {
    for (const name of ['ID', 'NAME', 'PRETTY_NAME', 'VERSION_ID', 'VERSION_CODENAME']) {
      const value = env.get(name);
      if (typeof value === 'string') vars.set(name, value);
    }
  }
  for (const [name, value] of keyValueLines(osRelease)) vars.set(name, value);
  const asciiCase = (text: string, pattern: RegExp, change: (c: string) => string): string => text.replace(pattern, change);
  const lower = (text: string): string => asciiCase(text, /[A-Z]/g, (c) => c.toLowerCase());
  const rawId = vars.get('ID') ?? '';
  let id = asciiCase(rawId.slice(0, 1), /[a-z]/, (c) => c.toUpperCase()) + rawId.slice(1);
  const name = vars.get('NAME');
  if (name !== undefined && lower(id) === lower(name)) id = name;
  return [
    `Distributor ID:\t${id || 'n/a'}`,
    `Description:\t${vars.get('PRETTY_NAME') || 'n/a'}`,
    `Release:\t${vars.get('VERSION_ID') || 'n/a'}`,
    `Codename:\t${vars.get('VERSION_CODENAME') || 'n/a'}`,
  ].join('\n');
}
