import type { PyValue } from '../template/values.js';
import { type FactFamily } from './family.js';

const ALGORITHMS = ['dsa', 'rsa', 'ecdsa', 'ed25519'];
const KEY_DIRS = ['/etc/ssh', '/etc/openssh', '/etc'];

/** system/ssh_pub_keys.py: the host's public keys, ssh_host_key_<algo>_public and its _keytype. */
export const sshHostKeyFacts: FactFamily = {
  name: 'ssh_host_keys',
  collector: 'ssh_pub_keys',
  files: Object.fromEntries(KEY_DIRS.flatMap((dir) => ALGORITHMS.map((algorithm) => [`key.${dir} ${algorithm}`, `${dir}/ssh_host_${algorithm}_key.pub`]))),
  command: '',
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
