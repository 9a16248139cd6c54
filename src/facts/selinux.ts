import { PyDict } from '../template/values.js';
import { keyValueLines, one, type FactFamily } from './family.js';

/**
 * module_utils/facts/system/selinux.py, read from selinuxfs instead of the Python bindings:
 * `{status: disabled}` unless /sys/fs/selinux is mounted. Linux only.
 */
export const selinuxFacts: FactFamily = {
  name: 'selinux',
  collector: 'selinux',
  command: `if [ -r /sys/fs/selinux/enforce ]; then
  fleet_emit_lines enforce /sys/fs/selinux/enforce
  fleet_emit_lines policyvers /sys/fs/selinux/policyvers
  [ -r /etc/selinux/config ] && fleet_emit_lines config /etc/selinux/config
fi
fleet_emit system "$fleet_system"`,
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
