import type { PyValue } from '../template/values.js';
import { type FactFamily } from './family.js';

const ALGORITHMS = ['dsa', 'rsa', 'ecdsa', 'ed25519'];
const KEY_DIRS = ['/etc/ssh', '/etc/openssh', '/etc'];

/** system/ssh_pub_keys.py: the host's public keys, ssh_host_key_<algo>_public and its _keytype. */
export const sshHostKeyFacts: FactFamily = {
  name: 'ssh_host_keys',
  collector: 'ssh_pub_keys',
  command: `for fleet_d in ${KEY_DIRS.join(' ')}; do
  for fleet_a in ${ALGORITHMS.join(' ')}; do
    fleet_f=$fleet_d/ssh_host_\${fleet_a}_key.pub
    [ -r "$fleet_f" ] && fleet_emit_lines "key.$fleet_d $fleet_a" "$fleet_f"
  done
done`,
  parse(output) {
    const facts: Record<string, PyValue> = {};
    // As ssh_pub_keys.py walks it: the next directory is read only for the algorithms not
    // found yet, and the walk stops at the first algorithm a previous directory had.
    for (const dir of KEY_DIRS) {
      for (const algorithm of ALGORITHMS) {
        const fact = `ssh_host_key_${algorithm}_public`;
        if (fact in facts) return facts;
        const [keytype, key] = (output.get(`key.${dir} ${algorithm}`)?.[0] ?? '').trim().split(/\s+/);
        if (keytype && key) {
          facts[fact] = key;
          facts[`${fact}_keytype`] = keytype;
        }
      }
    }
    return facts;
  },
};
