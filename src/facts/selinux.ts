import { PyDict } from '../template/values.js';
import { keyValueLines, one, type FactFamily } from './family.js';

/**
 * module_utils/facts/system/selinux.py, read from selinuxfs instead of the Python bindings:
 * `{status: disabled}` unless /sys/fs/selinux is mounted. Linux only.
 */
export const selinuxFacts: FactFamily = {
  name: 'selinux',
  collector: 'selinux',
  files: { enforce: '/sys/fs/selinux/enforce', policyvers: '/sys/fs/selinux/policyvers', config: '/etc/selinux/config' },
  command: 'fleet_emit system "$fleet_system"',
  parse(output): Record<string, PyDict> {
    if (one(output, 'system') !== 'Linux') return {};
    if (!output.has('enforce')) return { selinux: new PyDict([['status', 'disabled']]) };
    const config = keyValueLines(one(output, 'config'));
    const mode = one(output, 'enforce').trim() === '1' ? 'enforcing' : 'permissive';
    return {
      selinux: new PyDict([
        ['status', 'enabled'],
        ['policyvers', Number(one(output, 'policyvers')) || 'unknown'],
        ['config_mode', config.get('SELINUX') ?? 'unknown'],
        ['mode', mode],
        ['type', config.get('SELINUXTYPE') ?? 'unknown'],
      ]),
    };
  },
};
