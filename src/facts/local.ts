import { quote } from '../shell/quote.js';
import { jsonLoads } from '../template/filters/json.js';
import { PyDict, type PyValue } from '../template/values.js';
import { ConfigParserError, configParserSections } from './config_parser.js';
import { one, type FactFamily, type FamilyOutput } from './family.js';

/** setup's fact_path default. */
export const DEFAULT_FACT_PATH = '/etc/ansible/facts.d';

/**
 * system/local.py: ansible_local from fact_path's `*.fact` files. One that is executable (by
 * this user, where local.py looks at the owner's bit) runs: its stdout is streamed into the
 * record while its stderr and exit status are caught. Any other is read by the shell.
 */
export function localFacts(factPath: string): FactFamily {
  return {
    name: 'local',
    collector: 'local',
    command: `fleet_fp=${hostPath(factPath)}
fleet_run_fact() { fleet_fact_err=$("$1" 2>&1 >&3 3>&-; printf ' %s' "$?"); }
if [ -e "$fleet_fp" ]; then
  fleet_emit exists 1
  for fleet_f in "$fleet_fp"/*.fact; do
    fleet_n=\${fleet_f##*/}
    if [ ! -e "$fleet_f" ]; then
      [ -L "$fleet_f" ] && fleet_emit "broken.$fleet_n" "$fleet_f"
    elif [ -x "$fleet_f" ] && [ ! -d "$fleet_f" ]; then
      fleet_emit_output "run.$fleet_n" fleet_run_fact "$fleet_f" 3>&1
      fleet_emit "status.$fleet_n" "$fleet_fact_err"
    elif [ -r "$fleet_f" ] && [ -f "$fleet_f" ]; then
      fleet_emit_lines "file.$fleet_n" "$fleet_f"
    else
      fleet_emit "file.$fleet_n" ''
    fi
  done
fi`,
    parse(output) {
      if (!output.has('exists')) return { local: new PyDict() };
      return { local: localDict(output, factPath) };
    },
  };
}

/** The path as shell words: a `type: path` argument's leading `~` is the host user's $HOME (os.path.expanduser). */
function hostPath(path: string): string {
  if (path === '~' || path.startsWith('~/')) return `"$HOME"${path === '~' ? '' : quote(path.slice(1))}`;
  return quote(path);
}

function localDict(output: FamilyOutput, factPath: string): PyDict {
  const names = new Set<string>();
  for (const key of output.keys()) {
    const match = /^(broken|run|file)\.(.*)$/s.exec(key);
    if (match) names.add(match[2] as string);
  }
  const local = new PyDict();
  const warnings: string[] = [];
  // sorted(glob(...)): by code point, where the shell's glob sorts by the locale's collation.
  for (const name of [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const path = `${factPath}/${name}`;
    const fact = factValue(output, name, path);
    if ('failure' in fact) warnings.push(fact.failure);
    local.set(name.split('.fact').join(''), 'failure' in fact ? fact.failure : fact.value);
  }
  if (warnings.length > 0) failures.set(local, warnings);
  return local;
}

// The failures local.py also gives module.warn(), by the ansible_local dict they are in.
const failures = new WeakMap<PyDict, string[]>();

/** The warnings setup prints for the fact files that failed (their message is their value too). */
export function localFactWarnings(local: PyValue | undefined): string[] {
  return local instanceof PyDict ? (failures.get(local) ?? []) : [];
}

function factValue(output: FamilyOutput, name: string, path: string): { value: PyValue } | { failure: string } {
  if (output.has(`broken.${name}`)) return { failure: `Could not stat fact (${path}): [Errno 2] No such file or directory: '${path}'` };
  let text = one(output, `file.${name}`).trim();
  if (output.has(`run.${name}`)) {
    const status = one(output, `status.${name}`);
    const rc = status.slice(status.lastIndexOf(' ') + 1);
    if (rc !== '0') return { failure: `Failure executing fact script (${path}), rc: ${rc}, err: ${status.slice(0, status.lastIndexOf(' '))}` };
    text = one(output, `run.${name}`);
  }
  try {
    return { value: jsonLoads(text) };
  } catch {
    try {
      return { value: configParserSections(text) };
    } catch (error) {
      if (error instanceof ConfigParserError) return { failure: `error loading facts as JSON or ini - please check content: ${path}` };
      return { failure: `Failed to convert (${path}) to JSON: ${(error as Error).message}` };
    }
  }
}
