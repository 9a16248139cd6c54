import { Script } from '../../shell/script.js';

/**
 * AnsibleModule.get_bin_path on the host: `fleet_bin_path NAME` sets `fleet_bin` to the first
 * executable NAME (not a directory) in $PATH and then /sbin, /usr/sbin, /usr/local/sbin when
 * they exist and $PATH lacks them, and fails otherwise; `fleet_bin_paths` is the list searched,
 * for Ansible's "Failed to find required executable" message.
 */
export const BIN_PATH = Script.library(`fleet_bin_path() {
  fleet_bin='' fleet_bin_paths=$PATH
  for fleet_bin_dir in /sbin /usr/sbin /usr/local/sbin; do
    case ":$PATH:" in
      *":$fleet_bin_dir:"*) ;;
      *) if [ -e "$fleet_bin_dir" ]; then fleet_bin_paths="$fleet_bin_paths:$fleet_bin_dir"; fi ;;
    esac
  done
  fleet_bin_rest="$fleet_bin_paths:"
  while [ -n "$fleet_bin_rest" ]; do
    fleet_bin_dir=\${fleet_bin_rest%%:*} fleet_bin_rest=\${fleet_bin_rest#*:}
    if [ -n "$fleet_bin_dir" ] && [ -x "$fleet_bin_dir/$1" ] && [ ! -d "$fleet_bin_dir/$1" ]; then
      fleet_bin="$fleet_bin_dir/$1"
      return 0
    fi
  done
  return 1
}
`);

/** Ansible's failure when get_bin_path(name, required=True) finds nothing. */
export function missingExecutable(name: string, searched: string): string {
  return `Failed to find required executable "${name}" in paths: ${searched}`;
}
