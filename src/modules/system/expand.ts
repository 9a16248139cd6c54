import { Script, sh } from '../../shell/script.js';
import type { Userland } from '../../shell/userland.js';

/**
 * Ansible expands `path` arguments and `command` argv with Python's
 * `os.path.expanduser(os.path.expandvars(value))` on the host
 * (module_utils/basic.py run_command, common/parameters.py). These render that expansion as
 * shell, reading the host's environment, so no value is ever evaluated by the shell.
 */

// posixpath.expandvars: `$name` or `${anything}`; names not in the environment stay as written.
const VAR_REFERENCE = /\$([A-Za-z0-9_]+|\{[^}]*\})/g;
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Shell that sets `$target` to `value` expanded as Ansible expands it on the host. */
export function expandInto(target: string, value: string): Script {
  const lines: Script[] = [Script.raw(`${target}=''`)];
  let last = 0;
  for (const match of value.matchAll(VAR_REFERENCE)) {
    const literal = value.slice(last, match.index);
    if (literal) lines.push(appendLiteral(target, literal));
    const written = match[0];
    const name = written.startsWith('${') ? written.slice(2, -1) : written.slice(1);
    if (SHELL_NAME.test(name)) {
      lines.push(
        Script.concat([
          `if [ -n "\${${name}+x}" ]; then ${target}="$${target}$${name}"; else\n`,
          appendLiteral(target, written),
          '\nfi',
        ]),
      );
    } else {
      // Names the shell cannot hold (`$1`, `${a b}`) are never in a POSIX environment.
      lines.push(appendLiteral(target, written));
    }
    last = match.index + written.length;
  }
  const tail = value.slice(last);
  if (tail) lines.push(appendLiteral(target, tail));
  if (value.startsWith('~') || value.startsWith('$')) {
    lines.push(Script.raw(`fleet_expanduser "$${target}"; ${target}=$fleet_x`));
  }
  return Script.join(lines);
}

/**
 * Sets "$@" to the program (null: "$fleet_bin", where fleet_bin_path found it) and its words,
 * each expanded as run_command expands a list's words.
 */
export function expandedArgv(program: string | null, words: readonly string[]): Script {
  return Script.join([
    program === null ? Script.raw('set -- "$fleet_bin"') : sh`set -- ${program}`,
    ...words.flatMap((word) => [expandInto('fleet_a', word), Script.raw('set -- "$@" "$fleet_a"')]),
  ]);
}

function appendLiteral(target: string, literal: string): Script {
  return Script.concat([LITERAL_NOTE, `${target}="$${target}"`, sh`${literal}`]);
}

// A user's text quoted into an assignment is data: `'$HOME'` (SC2016) and `x=pwd` (SC2209) are meant.
const LITERAL_NOTE = '# shellcheck disable=SC2016,SC2209\n';

/** Shell that sets `$target` to `value` exactly (no expansion). */
export function assignLiteral(target: string, value: string): Script {
  return Script.concat([LITERAL_NOTE, `${target}=`, sh`${value}`]);
}

/** Home directory of a named user, as Python's `pwd.getpwnam(name).pw_dir`; fails if unknown. */
function userHomeFunction(userland: Userland): string {
  if (userland.system === 'Darwin') {
    return `fleet_user_home() { fleet_h=$(dscl . -read "/Users/$1" NFSHomeDirectory 2>/dev/null) || return 1; printf '%s' "\${fleet_h#NFSHomeDirectory: }"; }`;
  }
  return `fleet_user_home() { fleet_h=$(getent passwd "$1" 2>/dev/null) || return 1; fleet_h=\${fleet_h#*:*:*:*:*:}; printf '%s' "\${fleet_h%%:*}"; }`;
}

/**
 * posixpath.expanduser: `~` is $HOME (or the passwd entry), `~name` that user's home; an
 * unknown user leaves the text alone; trailing slashes of the home are dropped. Sets $fleet_x.
 */
export function expandUserFunctions(userland: Userland): Script {
  return Script.library(`${userHomeFunction(userland)}
fleet_expanduser() {
  fleet_x=$1
  case $fleet_x in '~'*) ;; *) return 0 ;; esac
  fleet_rest=\${fleet_x#?}
  fleet_name=\${fleet_rest%%/*}
  fleet_tail=\${fleet_rest#"$fleet_name"}
  if [ -z "$fleet_name" ] && [ -n "\${HOME+x}" ]; then
    fleet_home=$HOME
  elif [ -z "$fleet_name" ]; then
    fleet_home=$(fleet_user_home "$(id -un)") || return 0
  else
    fleet_home=$(fleet_user_home "$fleet_name") || return 0
  fi
  fleet_home=\${fleet_home%"\${fleet_home##*[!/]}"}
  fleet_x=$fleet_home$fleet_tail
  [ -n "$fleet_x" ] || fleet_x=/
}`);
}
