import { Script, sh } from '../../shell/script.js';
import type { Userland } from '../../shell/userland.js';
import { BIN_PATH } from './bin-path.js';
import { assignLiteral, expandInto, expandUserFunctions } from './expand.js';
import { PARSABLE_LOCALE } from './parsable-locale.js';

/**
 * The commands modules/pip.py runs, in its order, as one script. Every command runs through
 * `fleet_pip_capture KEY CMD…` (in `chdir` when it is a directory, stdin empty), which emits
 * KEY_rc, KEY_out and KEY_err; a step the module would fail at ends the script (`exit 0`)
 * and the controller words the failure from the records.
 */

/** Where _get_pip looks for pip. */
export type PipSource =
  | { kind: 'path'; path: string }
  | { kind: 'search'; name: string }
  | { kind: 'venv' }
  | { kind: 'interpreter' };

export interface VenvCreation {
  /** shlex.split(virtualenv_command). */
  words: readonly string[];
  sitePackages: boolean;
  /** `-p…` appended: the given virtualenv_python, or the interpreter's sys.executable. */
  python: { given: string } | 'interpreter' | null;
  /** virtualenv_python with `-m venv`/pyvenv: refused after the --help probe. */
  pythonConflict: boolean;
}

export interface PipScriptPlan {
  /** null: tempfile.gettempdir(). */
  chdir: string | null;
  umask: number | null;
  venv: string | null;
  /** Set when the venv is to be made if bin/activate is missing (not in check mode). */
  creation: VenvCreation | null;
  source: PipSource;
  /** Where the interpreter Ansible would run the module with is looked for (facts/python.ts). */
  interpreters: readonly string[];
  /** Stop once pip is found, or once the packages are listed (check mode). */
  stopAfter: 'pip' | 'list' | null;
  /** pip's arguments after its own words (state's, extra_args, packages or -r). */
  args: readonly string[];
  /** requirements or a VCS name: the list before and after decides `changed`. */
  compareLists: boolean;
}

const FUNCTIONS = Script.library(`fpc_keep=''
fleet_pip_capture() {
  fpc_key=$1; shift
  if ! fpc_out=$(mktemp) || ! fpc_err=$(mktemp); then fleet_emit no_temp 1; exit 0; fi
  (
    if [ -d "$fleet_pip_dir" ]; then cd "$fleet_pip_dir" || exit 1; fi
    "$@"
  ) >"$fpc_out" 2>"$fpc_err" </dev/null
  fpc_rc=$?
  fleet_emit "\${fpc_key}_rc" "$fpc_rc"
  fleet_emit_file "\${fpc_key}_out" "$fpc_out"
  fleet_emit_file "\${fpc_key}_err" "$fpc_err"
  [ -n "$fpc_keep" ] || rm -f -- "$fpc_out" "$fpc_err"
}
fleet_pip_cmd() {
  if [ -n "$fleet_pip_m" ]; then "$fleet_pip" -m pip.__main__ "$@"; else "$fleet_pip" "$@"; fi
}
fleet_pip_in_locale() {
  LANG=$fleet_locale LC_ALL=$fleet_locale LC_MESSAGES=$fleet_locale
  export LANG LC_ALL LC_MESSAGES
  fleet_pip_cmd "$@"
}
fleet_pip_with_venv_path() {
  PATH="$fleet_pip_venv/bin:$PATH"
  export PATH
  fleet_pip_cmd "$@"
}
# _get_packages: pip list --format=freeze in a parsable locale, else pip freeze; KEY_failed ends the script.
fleet_pip_list() {
  fleet_pip_capture "$1" fleet_pip_in_locale list --format=freeze
  [ "$fpc_rc" = 0 ] && return 0
  fleet_pip_capture "$1_freeze" fleet_pip_cmd freeze
  [ "$fpc_rc" = 0 ] || exit 0
}
# The interpreter Ansible would run the module with: sys.executable, and whether it imports pip.
fleet_pip_python() {
  fleet_py_exe='' fleet_py_pip=0
  for fleet_py in "$@"; do
    case $fleet_py in
      */*) if [ ! -f "$fleet_py" ] || [ ! -x "$fleet_py" ]; then continue; fi ;;
      *) command -v "$fleet_py" >/dev/null 2>&1 || continue ;;
    esac
    fleet_py_out=$("$fleet_py" -c 'import sys
try:
    from importlib.util import find_spec
    found = bool(find_spec("pip"))
except Exception:
    found = False
print("%d %s" % (found, sys.executable))' 2>/dev/null) || continue
    fleet_py_pip=\${fleet_py_out%% *} fleet_py_exe=\${fleet_py_out#* }
    fleet_emit python "$fleet_py_exe"
    return 0
  done
}`);

/** Sets "$@" to `words`, each expanded as run_command expands an argv word. */
function setWords(words: readonly string[], start: Script | null): Script {
  return Script.join([
    start ?? Script.raw('set --'),
    ...words.flatMap((word) => [expandInto('fleet_a', word), Script.raw('set -- "$@" "$fleet_a"')]),
  ]);
}

function creationScript(creation: VenvCreation, candidates: readonly string[]): Script {
  const [first, ...rest] = creation.words;
  const bare = first !== undefined && !first.includes('/');
  const steps: Script[] = [
    bare
      ? sh`if fleet_bin_path ${first ?? ''}; then fleet_venv_bin=$fleet_bin; else fleet_emit venv_missing_bin "$fleet_bin_paths"; exit 0; fi`
      : expandInto('fleet_venv_bin', first ?? ''),
    Script.raw('fleet_emit venv_bin "$fleet_venv_bin"'),
  ];
  if (!creation.sitePackages) {
    // _get_cmd_options: does the command's --help name --no-site-packages?
    steps.push(Script.raw(`fpc_keep=1; fleet_pip_capture help "$fleet_venv_bin" --help; fpc_keep=''
[ "$fpc_rc" = 0 ] || exit 0
if tr -s ' \\t\\r\\f\\v' '\\n' <"$fpc_out" | grep -q -x -F -e --no-site-packages; then fleet_no_site=1; else fleet_no_site=''; fi
rm -f -- "$fpc_out" "$fpc_err"`));
  }
  if (creation.pythonConflict) steps.push(Script.raw('fleet_emit venv_python_conflict 1; exit 0'));
  steps.push(setWords(rest, Script.raw('set -- "$fleet_venv_bin"')));
  if (creation.sitePackages) steps.push(Script.raw('set -- "$@" --system-site-packages'));
  else steps.push(Script.raw('if [ -n "$fleet_no_site" ]; then set -- "$@" --no-site-packages; fleet_emit venv_no_site 1; fi'));
  if (creation.python === 'interpreter') {
    steps.push(Script.join([pythonProbe(candidates), Script.raw('if [ -n "$fleet_py_exe" ]; then set -- "$@" "-p$fleet_py_exe"; fi')]));
  } else if (creation.python !== null) {
    steps.push(Script.join([expandInto('fleet_a', `-p${creation.python.given}`), Script.raw('set -- "$@" "$fleet_a"')]));
  }
  steps.push(Script.raw(`set -- "$@" "$fleet_pip_venv"
fleet_pip_capture venv "$@"
[ "$fpc_rc" = 0 ] || exit 0`));
  return Script.join(steps);
}

const pythonProbe = (candidates: readonly string[]): Script => sh`fleet_pip_python ${Script.join(candidates.map((c) => sh`${c}`), ' ')}`;

function findPipScript(source: PipSource, interpreters: readonly string[]): Script {
  switch (source.kind) {
    case 'path':
      return Script.join([expandInto('fleet_pip', source.path), Script.raw("fleet_pip_m=''")]);
    case 'search':
      return sh`fleet_pip_m=''
if fleet_bin_path ${source.name}; then fleet_pip=$fleet_bin; else fleet_emit no_pip 1; exit 0; fi`;
    case 'venv':
      return Script.raw(`fleet_pip_m='' fleet_pip=''
for fleet_name in pip3 pip; do
  fleet_try=$fleet_pip_venv/bin/$fleet_name
  if [ -e "$fleet_try" ] && [ ! -d "$fleet_try" ] && [ -x "$fleet_try" ]; then fleet_pip=$fleet_try; break; fi
done
[ -n "$fleet_pip" ] || { fleet_emit no_venv_pip 1; exit 0; }`);
    case 'interpreter':
      return Script.join([
        pythonProbe(interpreters),
        Script.raw(`if [ "$fleet_py_pip" = 1 ]; then fleet_pip=$fleet_py_exe fleet_pip_m=1
elif fleet_bin_path pip3; then fleet_pip=$fleet_bin fleet_pip_m=''
else fleet_emit no_pip 1; exit 0; fi`),
      ]);
  }
}

export function pipScript(plan: PipScriptPlan, userland: Userland): Script {
  const steps: Script[] = [
    BIN_PATH,
    PARSABLE_LOCALE,
    expandUserFunctions(userland),
    FUNCTIONS,
    Script.raw('('),
    ...(plan.umask === null ? [] : [Script.raw(`umask ${plan.umask.toString(8).padStart(4, '0')}`)]),
    plan.chdir === null ? Script.raw('fleet_pip_dir=${TMPDIR:-/tmp}') : assignLiteral('fleet_pip_dir', plan.chdir),
  ];
  if (plan.venv !== null) {
    steps.push(assignLiteral('fleet_pip_venv', plan.venv));
    steps.push(Script.raw('if [ -e "$fleet_pip_venv/bin/activate" ]; then fleet_emit venv_exists 1; else fleet_emit venv_exists 0'));
    steps.push(plan.creation === null ? Script.raw('exit 0') : creationScript(plan.creation, plan.interpreters));
    steps.push(Script.raw('fi'));
  }
  steps.push(findPipScript(plan.source, plan.interpreters), Script.raw('fleet_emit pip "$fleet_pip"; [ -z "$fleet_pip_m" ] || fleet_emit pip_module 1'));
  steps.push(Script.raw('fleet_parsable_locale'));
  if (plan.stopAfter !== null) {
    steps.push(Script.raw(plan.stopAfter === 'list' ? 'fleet_pip_list list' : ':'), Script.raw(')'));
    return Script.join(steps);
  }
  if (plan.compareLists) steps.push(Script.raw('fleet_pip_list before'));
  steps.push(setWords(plan.args, null));
  steps.push(Script.raw(plan.venv === null ? 'fleet_pip_capture run fleet_pip_cmd "$@"' : 'fleet_pip_capture run fleet_pip_with_venv_path "$@"'));
  if (plan.compareLists) steps.push(Script.raw('[ "$fpc_rc" != 0 ] || fleet_pip_list after'));
  steps.push(Script.raw(')'));
  return Script.join(steps);
}
