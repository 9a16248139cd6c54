import { PyDict } from '../template/values.js';
import { keyValueLines, one, type FactFamily } from './family.js';

/** module_utils/facts/system/lsb.py: `lsb_release -a`, else /etc/lsb-release. */
export const lsbFacts: FactFamily = {
  name: 'lsb',
  command: `if command -v lsb_release >/dev/null 2>&1; then fleet_emit lsb_release "$(lsb_release -a 2>/dev/null)"
elif [ -r /etc/lsb-release ]; then fleet_emit_lines lsb_file /etc/lsb-release; fi`,
  parse(output) {
    const lsb = new PyDict();
    if (output.has('lsb_release')) {
      const labels: Record<string, string> = { 'Distributor ID': 'id', Description: 'description', Release: 'release', Codename: 'codename' };
      for (const line of one(output, 'lsb_release').split('\n')) {
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
    return { lsb: new PyDict([...lsb].sort(([a], [b]) => String(a).localeCompare(String(b)))) };
  },
};
