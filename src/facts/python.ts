import type { RemoteOutput } from '../modules/types.js';
import { Script, sh } from '../shell/script.js';
import { PyDict, toPy, type PyValue } from '../template/values.js';
import { cachedPythonProbe, rememberPythonProbe, type PythonProbe } from './python_cache.js';

/**
 * module_utils/facts/system/python.py (and platform.py's `python_version`): the interpreter the setup module ran under. fleet runs
 * no Python on the host, so it asks the interpreter Ansible would use: the host's
 * `ansible_python_interpreter`, or else the first of the discovery fallbacks that exists
 * (`/usr/bin/python3` first, as discovery picks it on Debian and Red Hat families).
 * A host without Python gets no `ansible_python` fact.
 */
const DISCOVERY_FALLBACK = [
  '/usr/bin/python3', 'python3.11', 'python3.10', 'python3.9', 'python3.8', 'python3.7', 'python3.6',
  '/usr/libexec/platform-python', 'python2.7', '/usr/bin/python', 'python',
];

const REPORT = `import json, platform, sys
try:
    import ssl
    has_sslcontext = hasattr(ssl, 'SSLContext')
except ImportError:
    has_sslcontext = False
try:
    from ctypes import CDLL
    CDLL('libselinux.so.1')
    has_selinux = True
except (ImportError, OSError):
    has_selinux = False
v = sys.version_info
impl = getattr(sys, 'implementation', None)
print(json.dumps({'python': {'executable': sys.executable, 'has_sslcontext': has_sslcontext,
    'type': impl.name if impl else None, 'version_info': list(v),
    'version': {'major': v[0], 'minor': v[1], 'micro': v[2], 'releaselevel': v[3], 'serial': v[4]}},
    'python_version': platform.python_version(), 'selinux_python_present': has_selinux}))`;

// What REPORT prints: a cached answer from an older REPORT lacks some of it, and is not used.
const REPORT_KEYS = ['python', 'python_version', 'selinux_python_present'];

function cachedProbe(key: string): PythonProbe | undefined {
  const probe = cachedPythonProbe(key);
  try {
    const report = JSON.parse(probe?.report ?? '') as Record<string, unknown>;
    return REPORT_KEYS.every((name) => name in report) ? probe : undefined;
  } catch {
    return undefined;
  }
}

export function interpreterCandidates(configured: PyValue | undefined): string[] {
  return typeof configured === 'string' && configured !== '' && configured !== 'auto' ? [configured] : DISCOVERY_FALLBACK;
}

/** A host's cached answer holds for the interpreters it was asked with. */
function cacheKey(host: string, configured: PyValue | undefined): string {
  return `${host} ${interpreterCandidates(configured).join(' ')}`;
}

/**
 * Runs the interpreter only when its `ls -iLln` line differs from the one a previous run
 * cached for this host (python_cache.ts); the line itself is always reported. A path is
 * tested in the shell: `command -v` would cost a subshell, and dash's says yes to any path.
 */
export function pythonFactsScript(configured: PyValue | undefined, host: string): Script {
  const candidates = interpreterCandidates(configured);
  const words = Script.join(candidates.map((candidate) => sh`${candidate}`), ' ');
  const cachedSignature = cachedProbe(cacheKey(host, configured))?.signature ?? '';
  return sh`for fleet_python in ${words}; do
  case $fleet_python in
    */*) fleet_pypath=$fleet_python; [ -f "$fleet_pypath" ] && [ -x "$fleet_pypath" ] ;;
    *) fleet_pypath=$(command -v "$fleet_python" 2>/dev/null) ;;
  esac || continue
  fleet_pysig=$(ls -iLln "$fleet_pypath" 2>/dev/null)
  fleet_emit python_signature "$fleet_pysig"
  if [ -z "$fleet_pysig" ] || [ "$fleet_pysig" != ${cachedSignature} ]; then
    fleet_emit python "$("$fleet_python" -c ${REPORT} 2>/dev/null)"
  fi
  break
done`;
}

/** The collector (facts/subsets.ts) of each fact the interpreter answers. */
export const PYTHON_FACT_COLLECTORS: Readonly<Record<string, string>> = { python: 'python', python_version: 'platform', selinux_python_present: 'selinux', selinux: 'selinux' };

/**
 * `python`, the platform collector's `python_version` and selinux.py's selinux_python_present
 * (all the interpreter's) from the script's record (or, when the interpreter is the one
 * cached, from the cache), or nothing when no interpreter answered.
 */
export function pythonFacts(output: RemoteOutput, host: string, configured: PyValue | undefined): Record<string, PyValue> {
  const key = cacheKey(host, configured);
  const signature = output.fields.get('python_signature')?.[0] ?? '';
  const answered = output.fields.get('python')?.[0];
  let text = answered ?? '';
  if (answered === undefined && signature !== '') text = cachedProbe(key)?.report ?? '';
  if (text === '') return {};
  if (answered !== undefined && signature !== '') rememberPythonProbe(key, { signature, report: answered });
  const report = JSON.parse(text) as Record<string, unknown>;
  const facts: Record<string, PyValue> = { python: toPy(report.python), python_version: toPy(report.python_version) };
  // system/selinux.py: without libselinux (ansible's ctypes binding) the status is all it says.
  facts.selinux_python_present = report.selinux_python_present === true;
  if (report.selinux_python_present !== true) facts.selinux = new PyDict([['status', 'Missing selinux Python library']]);
  return facts;
}
