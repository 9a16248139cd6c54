import type { RemoteOutput } from '../modules/types.js';
import { Script, sh } from '../shell/script.js';
import { toPy, type PyValue } from '../template/values.js';

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
v = sys.version_info
impl = getattr(sys, 'implementation', None)
print(json.dumps({'python': {'executable': sys.executable, 'has_sslcontext': has_sslcontext,
    'type': impl.name if impl else None, 'version_info': list(v),
    'version': {'major': v[0], 'minor': v[1], 'micro': v[2], 'releaselevel': v[3], 'serial': v[4]}},
    'python_version': platform.python_version()}))`;

export function pythonFactsScript(configured: PyValue | undefined): Script {
  const candidates = typeof configured === 'string' && configured !== '' && configured !== 'auto' ? [configured] : DISCOVERY_FALLBACK;
  const words = Script.join(candidates.map((candidate) => sh`${candidate}`), ' ');
  return sh`for fleet_python in ${words}; do
  if command -v "$fleet_python" >/dev/null 2>&1; then
    fleet_emit python "$("$fleet_python" -c ${REPORT} 2>/dev/null)"
    break
  fi
done`;
}

/**
 * `python` and the platform collector's `python_version` (also the interpreter's) from the
 * script's record, or nothing when no interpreter answered.
 */
export function pythonFacts(output: RemoteOutput): Record<string, PyValue> {
  const text = output.fields.get('python')?.[0] ?? '';
  if (text === '') return {};
  const report = JSON.parse(text) as Record<string, unknown>;
  return { python: toPy(report.python), python_version: toPy(report.python_version) };
}
