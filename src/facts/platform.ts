import { one, type FactFamily } from './family.js';

/**
 * socket.getfqdn()'s lookups, emitted as `host_entry`: the address the node name
 * ($fleet_nodename) resolves to (the first word), then that address's first line. Needs
 * $fleet_nl (a newline). Also run by the hostname module, whose result carries getfqdn().
 */
export const HOST_ENTRY_SHELL = `if command -v getent >/dev/null 2>&1; then
  fleet_h=$(getent hosts "$fleet_nodename")
  fleet_addr=\${fleet_h%%[[:space:]]*}
  if [ -n "$fleet_addr" ]; then fleet_h=$(getent hosts "$fleet_addr"); fleet_emit host_entry "\${fleet_h%%"$fleet_nl"*}"; fi
fi`;

/** module_utils/facts/system/platform.py: uname values, hostname/fqdn/domain, machine_id. */
export const platformFacts: FactFamily = {
  name: 'platform',
  collector: 'platform',
  command: `fleet_emit system "$fleet_system"
fleet_emit kernel "$fleet_kernel"
fleet_emit kernel_version "$fleet_kernel_version"
fleet_emit machine "$fleet_machine"
fleet_emit nodename "$fleet_nodename"
fleet_emit long_bit "$(getconf LONG_BIT 2>/dev/null)"
${HOST_ENTRY_SHELL}`,
  files: { machine_id: ['/var/lib/dbus/machine-id', '/etc/machine-id'] },
  parse(output) {
    const nodename = one(output, 'nodename');
    const machine = one(output, 'machine');
    const bits = one(output, 'long_bit');
    const facts: Record<string, string> = {
      system: one(output, 'system'),
      kernel: one(output, 'kernel'),
      kernel_version: one(output, 'kernel_version'),
      machine,
      fqdn: fqdn(nodename, one(output, 'host_entry')),
      hostname: nodename.split('.')[0] as string,
      nodename,
      architecture: machine,
    };
    facts.domain = domainOf(facts.fqdn!);
    if (bits) facts.userspace_bits = bits;
    if (machine === 'x86_64' && bits === '64') facts.userspace_architecture = 'x86_64';
    if (machine === 'x86_64' && bits === '32') facts.userspace_architecture = 'i386';
    const machineId = one(output, 'machine_id').trim().split('\n')[0];
    if (machineId) facts.machine_id = machineId;
    return facts;
  },
};

/** The facts' ansible_domain: the fqdn after its first dot. */
export const domainOf = (fqdn: string): string => fqdn.split('.').slice(1).join('.');

/** socket.getfqdn(): the host entry's first name containing a dot, else its canonical name. */
export function fqdn(nodename: string, hostEntry: string): string {
  const names = hostEntry.trim().split(/\s+/).slice(1);
  if (names.length === 0) return nodename;
  return names.find((name) => name.includes('.')) ?? (names[0] as string);
}
