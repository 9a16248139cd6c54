import { one, type FactFamily } from './family.js';

/**
 * The host's storage initiator names on Linux: network/iscsi.py (iscsi_iqn), network/nvme.py
 * (hostnqn) and network/fc_wwn.py (fibre_channel_wwn, each port name without its 0x).
 */
export const initiatorFacts: FactFamily = {
  name: 'initiators',
  collector: 'iscsi',
  otherCollectors: { hostnqn: 'nvme', fibre_channel_wwn: 'fibre_channel_wwn' },
  files: { iscsi: '/etc/iscsi/initiatorname.iscsi', nvme: '/etc/nvme/hostnqn' },
  command: `if [ "$fleet_system" = Linux ]; then
  for fleet_f in /sys/class/fc_host/*/port_name; do
    [ -r "$fleet_f" ] && fleet_emit_lines wwn "$fleet_f"
  done
fi`,
  parse(output) {
    const lines = (key: string): string[] => one(output, key).trim().split('\n').filter((line) => !(line.startsWith('#') || line.startsWith(';') || line.trim() === ''));
    const iqn = lines('iscsi').find((line) => line.startsWith('InitiatorName='));
    return {
      iscsi_iqn: iqn ? iqn.slice('InitiatorName='.length) : '',
      hostnqn: lines('nvme').find((line) => line.startsWith('nqn.')) ?? '',
      fibre_channel_wwn: (output.get('wwn') ?? []).flatMap((text) => text.trim().split('\n').filter(Boolean).map((line) => line.trimEnd().slice(2))),
    };
  },
};
