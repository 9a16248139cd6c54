import { PyDict, type PyValue } from '../template/values.js';
import { one, type FactFamily } from './family.js';

/**
 * system/fips.py, system/apparmor.py and system/caps.py. caps.py runs `capsh --print` and
 * reads its `Current:` line. What capsh starts with follows from the shell's own sets
 * (execve: root is given the bounding set, others keep their ambient set), so the two lines
 * it prints most — `=` (none) and `=ep` (every capability up to cap_last_cap) — are worked
 * out from the shell's /proc status ($fleet_status) by shell arithmetic, and capsh runs only
 * for the others.
 */
export const securityFacts: FactFamily = {
  name: 'security',
  collector: 'caps',
  otherCollectors: { fips: 'fips', apparmor: 'apparmor' },
  // The status record is not parsed: naming the file has it read, as $fleet_status.
  files: { fips: '/proc/sys/crypto/fips_enabled', status: '/proc/$$/status' },
  command: `[ -e /sys/kernel/security/apparmor ] && fleet_emit apparmor 1
if fleet_bin capsh; then
  fleet_inh='' fleet_perm='' fleet_full=''
  if [ -n "$fleet_status" ] && read -r fleet_last < /proc/sys/kernel/cap_last_cap; then
    fleet_status_field Uid 2; fleet_euid=$fleet_field
    fleet_status_field CapInh; fleet_inh=$fleet_field
    fleet_status_field CapAmb; fleet_amb=$fleet_field
    if [ "$fleet_euid" = 0 ]; then fleet_status_field CapBnd; fleet_amb=$fleet_field; fi
    # Arithmetic only on two non-empty hex words: a bad one would end the whole script.
    case $fleet_amb:$fleet_last in
      :*|*:|*[!0-9a-f:]*) ;;
      *) fleet_perm=$((0x$fleet_amb)) fleet_full=$(((1 << (fleet_last + 1)) - 1)) ;;
    esac
  fi
  if [ "$fleet_inh" = 0000000000000000 ] && [ "$fleet_perm" = 0 ]; then fleet_emit capsh 'Current: ='
  elif [ "$fleet_inh" = 0000000000000000 ] && [ -n "$fleet_perm" ] && [ "$fleet_perm" = "$fleet_full" ]; then fleet_emit capsh 'Current: =ep'
  elif fleet_v=$("$fleet_found" --print); then fleet_emit capsh "$fleet_v"
  fi
fi`,
  parse(output) {
    const facts: Record<string, PyValue> = {
      fips: one(output, 'fips').trim() === '1',
      apparmor: new PyDict([['status', output.has('apparmor') ? 'enabled' : 'disabled']]),
      system_capabilities_enforced: 'N/A',
      system_capabilities: 'N/A',
    };
    if (output.has('capsh')) {
      facts.system_capabilities_enforced = 'NA';
      facts.system_capabilities = [];
      for (const line of one(output, 'capsh').split('\n')) {
        if (!line.startsWith('Current:')) continue;
        const enforced = line.split(':')[1]!.trim() !== '=ep';
        facts.system_capabilities_enforced = enforced ? 'True' : 'False';
        facts.system_capabilities = enforced ? line.split('=')[1]!.split(',').map((cap) => cap.trim()) : [];
      }
    }
    return facts;
  },
};
